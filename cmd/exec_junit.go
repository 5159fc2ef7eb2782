package cmd

import (
	"encoding/xml"
	"fmt"
	"os"
	"slices"

	"github.com/funcemu/funcemu/emulator"
)

// junitSuite is the JUnit XML shape CI systems read.
type junitSuite struct {
	XMLName  xml.Name    `xml:"testsuite"`
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
}

// writeJUnitReport writes one test case per invocation of the run,
// oldest first, failed for a failed invocation, plus one failed case per
// poison queue that grew: the same counts as exec's summary line.
func writeJUnitReport(file string, rep *execReport) error {
	rep.mu.Lock()
	invs := slices.Clone(rep.invocations)
	rep.mu.Unlock()
	suite := junitSuite{Name: "funcemu"}
	for _, inv := range invs {
		c := junitCase{Name: inv.Function + " " + inv.ID, ClassName: "funcemu." + inv.Function,
			Time: fmt.Sprintf("%.3f", inv.Duration().Seconds())}
		switch inv.Status {
		case emulator.StatusFailed:
			c.Failure = &junitFailure{Message: inv.Error}
			suite.Failures++
		case emulator.StatusCanceled:
			c.Skipped = &junitSkipped{Message: "canceled: funcemu stopped during the invocation"}
		}
		suite.Cases = append(suite.Cases, c)
	}
	for _, q := range rep.poisonQueues() {
		suite.Cases = append(suite.Cases, junitCase{Name: "poison queue " + q, ClassName: "funcemu.poison",
			Time: "0.000", Failure: &junitFailure{Message: fmt.Sprintf("%d poison messages in %s", rep.poison[q], q)}})
		suite.Failures++
	}
	suite.Tests = len(suite.Cases)
	b, err := xml.MarshalIndent(suite, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, append([]byte(xml.Header), append(b, '\n')...), 0o644); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	return nil
}
