package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
)

// docFiles are the documents that show funcemu command lines.
func docFiles(t *testing.T) map[string]string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	paths = append(paths, filepath.Join("..", "README.md"))
	docs := map[string]string{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs[filepath.Base(p)] = string(b)
	}
	return docs
}

var (
	codeBlock = regexp.MustCompile("(?s)```[a-z]*\n(.*?)```")
	codeSpan  = regexp.MustCompile("`([^`\n]+)`")
)

// codeFragments are a document's code block lines and inline code spans.
func codeFragments(doc string) []string {
	var out []string
	for _, m := range codeBlock.FindAllStringSubmatch(doc, -1) {
		out = append(out, strings.Split(m[1], "\n")...)
	}
	for _, m := range codeSpan.FindAllStringSubmatch(codeBlock.ReplaceAllString(doc, ""), -1) {
		out = append(out, m[1])
	}
	return out
}

// documentedFlags finds "funcemu CMD ... --flag" in a code fragment and
// returns the command and the flags given to it (before "--", a comment
// or the next command of a pipeline).
func documentedFlags(root *cobra.Command, fragment string) (*cobra.Command, []string) {
	tokens := strings.Fields(fragment)
	start := -1
	for i, tok := range tokens {
		if tok == "funcemu" || strings.HasSuffix(tok, "/funcemu") {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil, nil
	}
	cmd := root
	i := start
	for ; i < len(tokens); i++ {
		next, _, err := cmd.Find([]string{tokens[i]})
		if err != nil || next == cmd {
			break
		}
		cmd = next
	}
	if cmd == root {
		return nil, nil
	}
	var flags []string
	for ; i < len(tokens); i++ {
		tok := tokens[i]
		if tok == "--" || strings.HasPrefix(tok, "#") || tok == "|" || tok == "&&" || tok == ";" || tok == "&" {
			break
		}
		if strings.HasPrefix(tok, "--") {
			name, _, _ := strings.Cut(strings.TrimPrefix(tok, "--"), "=")
			name = strings.TrimRight(name, ",.;:)")
			if name != "" && !strings.ContainsAny(name, "<>[]") {
				flags = append(flags, name)
			}
		}
	}
	return cmd, flags
}

func TestDocumentedFlagsExist(t *testing.T) {
	t.Parallel()
	root := newRootCmd(testFactory(t))
	checked := 0
	for name, doc := range docFiles(t) {
		for _, frag := range codeFragments(doc) {
			cmd, flags := documentedFlags(root, frag)
			for _, f := range flags {
				checked++
				if cmd.Flags().Lookup(f) == nil && cmd.InheritedFlags().Lookup(f) == nil {
					t.Errorf("%s: %q: %s has no flag --%s", name, frag, cmd.CommandPath(), f)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d documented flags found; the doc parser is broken", checked)
	}
}

// sectionRef is a reference to a README section by its title.
var sectionRef = regexp.MustCompile(`(?:[Ss]ee|under|in|README,) "([^"]+)"(?: (above|below))?`)

func TestReadmeCrossReferencesResolve(t *testing.T) {
	t.Parallel()
	docs := docFiles(t)
	readme := docs["README.md"]
	headings := map[string]int{} // title -> offset in README
	for _, m := range regexp.MustCompile(`(?m)^#{2,4} (.+)$`).FindAllStringSubmatchIndex(readme, -1) {
		title := readme[m[2]:m[3]]
		title, _, _ = strings.Cut(title, " (`") // "Queue trigger (`emulator/trigger/queue`)"
		headings[title] = m[0]
	}
	refs := 0
	for name, doc := range docs {
		for _, m := range sectionRef.FindAllStringSubmatchIndex(doc, -1) {
			refs++
			title := doc[m[2]:m[3]]
			at, ok := headings[title]
			if !ok {
				t.Errorf("%s: reference to %q, which is no README section", name, title)
				continue
			}
			if name != "README.md" || m[4] < 0 {
				continue
			}
			if dir := doc[m[4]:m[5]]; (dir == "above") != (at < m[0]) {
				t.Errorf("README.md: %q is %s, but the section is not", title, dir)
			}
		}
	}
	if refs < 3 {
		t.Fatalf("only %d section references found; the parser is broken", refs)
	}
}

func TestReadmeNamesTheGoVersion(t *testing.T) {
	t.Parallel()
	mod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+(?:\.\d+)?)$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	if want := "Go " + string(m[1]); !strings.Contains(docFiles(t)["README.md"], want) {
		t.Errorf("README.md does not say it needs %s (go.mod's go line)", want)
	}
}

func TestHelpDescribesWhatFlagsDo(t *testing.T) {
	t.Parallel()
	root := newRootCmd(testFactory(t))
	start, _, _ := root.Find([]string{"start"})
	ready := start.Flags().Lookup("ready-file").Usage
	b, _ := json.Marshal(emulator.Endpoints{HTTP: "h", Blob: "b", Queue: "q", PID: 1})
	var keys map[string]any
	json.Unmarshal(b, &keys)
	for k := range keys {
		if !strings.Contains(ready, `"`+k+`"`) {
			t.Errorf("--ready-file's help %q does not name the key %q the file holds", ready, k)
		}
	}
	exec, _, _ := root.Find([]string{"exec"})
	port := exec.Flags().Lookup("port")
	if port.DefValue != "0" || strings.Contains(port.Usage, "7071") {
		t.Errorf("exec --port: default %s, help %q; exec picks a free port", port.DefValue, port.Usage)
	}
}

func TestReadmeWarnsAboutTheFirstBuild(t *testing.T) {
	t.Parallel()
	readme := docFiles(t)["README.md"]
	quick := readme[:strings.Index(readme, "## Install")]
	for _, want := range []string{"go run -v . start", "compiles SQLite", "release binary", "go install"} {
		if !strings.Contains(quick, want) {
			t.Errorf("the README's opening lacks %q: a first run must not look hung", want)
		}
	}
}
