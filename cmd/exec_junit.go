package cmd

import (
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
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
}

type junitFailure struct {
	Message string `xml:"message,attr"`
}

// writeJUnitReport writes one test case per invocation recorded since
// since, oldest first.
func writeJUnitReport(ctx context.Context, file, journalPath string, since time.Time) error {
	j, err := journal.Open(journal.Options{Path: journalPath, ReadOnly: true})
	if err != nil {
		return err
	}
	defer j.Close()
	invs, err := j.List(ctx, journal.Filter{Since: since})
	if err != nil {
		return err
	}
	suite := junitSuite{Name: "funcemu"}
	for i := len(invs) - 1; i >= 0; i-- {
		inv := invs[i]
		c := junitCase{Name: inv.Function + " " + inv.ID, ClassName: "funcemu." + inv.Function,
			Time: fmt.Sprintf("%.3f", inv.Duration().Seconds())}
		if inv.Status == emulator.StatusFailed {
			c.Failure = &junitFailure{Message: inv.Error}
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, c)
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
