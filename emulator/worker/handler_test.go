package worker

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
)

// The test binary doubles as the handler executable: started with
// WORKER_TEST_HANDLER set, it serves a small custom handler instead of
// running tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("WORKER_TEST_HANDLER"); mode != "" {
		runTestHandler(mode)
		return
	}
	if os.Getenv(prewarmTestsEnv) == "1" {
		Prewarm() // see TestSpareSupervisorsPassTheSuite
	}
	os.Exit(m.Run())
}

// spawned is the pid of the process the "spawner" handler started.
var spawned int

func runTestHandler(mode string) {
	switch mode {
	case "exit":
		fmt.Fprintln(os.Stderr, "cannot start: missing config")
		os.Exit(3)
	case "mute":
		select {} // never listens
	case "stubborn":
		signal.Ignore(syscall.SIGINT)
	case "spawner":
		// A process in its own session, out of the handler's group, that
		// ignores SIGINT too: only a kill of the whole tree ends it.
		signal.Ignore(syscall.SIGINT)
		sleeper := exec.Command("sleep", "600")
		sleeper.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := sleeper.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		spawned = sleeper.Process.Pid
	}
	fmt.Println("handler says hello")
	fmt.Fprintln(os.Stderr, "handler warns")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT)
	go func() {
		<-sig
		fmt.Println("handler got SIGINT")
		os.Exit(0)
	}()
	if mode == "stubborn" || mode == "spawner" {
		signal.Stop(sig)
	}
	block := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/spawned", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, spawned)
	})
	mux.HandleFunc("/pid", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, os.Getpid())
	})
	mux.HandleFunc("/env", func(w http.ResponseWriter, r *http.Request) {
		wd, _ := os.Getwd()
		var lines []string
		for _, k := range []string{"FUNCTIONS_CUSTOMHANDLER_PORT", "FUNCTIONS_HTTPWORKER_PORT",
			"FUNCTIONS_CUSTOMHANDLER_WORKER_ID", "FUNCTIONS_HTTPWORKER_ID", "FUNCTIONS_APP_ROOT_PATH", "EXTRA"} {
			lines = append(lines, k+"="+os.Getenv(k))
		}
		lines = append(lines, "cwd="+wd, "args="+strings.Join(os.Args[1:], " "))
		fmt.Fprint(w, strings.Join(lines, "\n"))
	})
	mux.HandleFunc("/block", func(w http.ResponseWriter, r *http.Request) {
		<-block
		fmt.Fprint(w, os.Getpid())
	})
	mux.HandleFunc("/unblock", func(w http.ResponseWriter, r *http.Request) { close(block) })
	mux.HandleFunc("/crash", func(w http.ResponseWriter, r *http.Request) { os.Exit(2) })
	_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT"), mux)
}
