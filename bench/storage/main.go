// Command storagebench runs one client workload through the Azure SDK for
// Go against Azurite and against `funcemu storage`, one server at a time on
// the same machine, and prints both results, their ratio and each server's
// peak resident memory. bench/storage/run.sh installs Azurite and builds
// everything first.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"
)

const (
	account = "devstoreaccount1"
	key     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

type config struct {
	azurite, funcemu, work string
	messages, blobs        int
	tagged, pages          int
	entities               int
	largeMiB               int
	rounds                 int
	markdown               bool
}

func main() {
	var c config
	flag.StringVar(&c.azurite, "azurite", "", "path of azurite.js (node_modules/azurite/dist/src/azurite.js)")
	flag.StringVar(&c.funcemu, "funcemu", "", "path of the funcemu binary")
	flag.StringVar(&c.work, "work", os.TempDir(), "scratch folder for the servers' data")
	flag.IntVar(&c.messages, "messages", 2000, "queue messages to enqueue and then dequeue+delete")
	flag.IntVar(&c.blobs, "blobs", 500, "4 KiB blobs to upload and then download")
	flag.IntVar(&c.entities, "entities", 2000, "table entities to insert, read back and insert again in batches (0 skips tables)")
	flag.IntVar(&c.largeMiB, "large", 64, "size in MiB of the large blob")
	flag.IntVar(&c.tagged, "tagged", 1000, "blobs to tag for Find Blobs by Tags (a multiple of 10)")
	flag.IntVar(&c.pages, "pages", 500, "4 KiB pages to write into a 1 GiB page blob")
	flag.BoolVar(&c.markdown, "markdown", false, "print the table as Markdown")
	flag.IntVar(&c.rounds, "rounds", 2, "interleaved rounds (Azurite, funcemu, Azurite, ...); the best figure of each is kept")
	flag.Parse()
	if c.azurite == "" || c.funcemu == "" {
		fmt.Fprintln(os.Stderr, "storagebench: -azurite and -funcemu are required (use bench/storage/run.sh)")
		os.Exit(2)
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "storagebench:", err)
		os.Exit(1)
	}
}

// result is one server's figures, by metric name.
type result struct {
	values map[string]float64
	peakKB int64
}

// metrics in print order, with units; for all of them higher is better.
var metrics = []struct{ name, unit string }{
	{"queue enqueue", "msg/s"},
	{"queue dequeue(32)+delete", "msg/s"},
	{"4 KiB blob upload", "ops/s"},
	{"4 KiB blob download", "ops/s"},
	{listRow, "lists/s"},
	{"large blob upload (one Put Blob)", "MB/s"},
	{"large blob upload (8 MiB blocks x4)", "MB/s"},
	{"large blob download (one GET)", "MB/s"},
	{"large blob download (8 MiB ranges x4)", "MB/s"},
}

// run alternates the servers so both see the same share of a noisy
// machine, and keeps each one's best figures and highest peak RSS. Each
// timed phase starts once the server is idle (settle).
func run(c config) error {
	var az, fe *result
	for i := 0; i < max(c.rounds, 1); i++ {
		a, err := benchServer(c, startAzurite)
		if err != nil {
			return fmt.Errorf("azurite: %w", err)
		}
		f, err := benchServer(c, startFuncemu)
		if err != nil {
			return fmt.Errorf("funcemu: %w", err)
		}
		fmt.Fprintf(os.Stderr, "round %d done\n", i+1)
		az, fe = best(az, a), best(fe, f)
	}
	printTable(c, az, fe)
	printCeiling("the list of blobs through azblob", "the answers served from memory over loopback", "lists/s", listRow, servedListRow, az, fe)
	if c.entities > 0 {
		printCeiling("the partition query through aztables", "aztables alone on the answers", "queries/s", partitionQueryRow, aloneQueryRow, az, fe)
	}
	return nil
}

func best(acc, r *result) *result {
	if acc == nil {
		return r
	}
	for k, v := range r.values {
		acc.values[k] = max(acc.values[k], v)
	}
	acc.peakKB = max(acc.peakKB, r.peakKB)
	return acc
}

// server is a running storage server.
type server struct {
	cmd               *exec.Cmd
	blobURL, queueURL string
	tableURL          string
	dir               string // its data folder, removed once it stops
}

func benchServer(c config, start func(config) (*server, error)) (*result, error) {
	s, err := start(c)
	if err != nil {
		return nil, err
	}
	defer func() {
		stop(s.cmd)
		_ = os.RemoveAll(s.dir)
	}()
	res := &result{values: map[string]float64{}}
	if err := workload(c, s, res); err != nil {
		return nil, err
	}
	res.peakKB = peakRSS(s.cmd.Process.Pid)
	return res, nil
}

func startAzurite(c config) (*server, error) {
	dir, err := os.MkdirTemp(c.work, "azurite-data-")
	if err != nil {
		return nil, err
	}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(c.work, "azurite.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", c.azurite, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
		"--location", dir, "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
		"--blobPort", strconv.Itoa(ports[0]), "--queuePort", strconv.Itoa(ports[1]), "--tablePort", strconv.Itoa(ports[2]))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, dir: dir,
		blobURL:  fmt.Sprintf("http://127.0.0.1:%d/%s", ports[0], account),
		queueURL: fmt.Sprintf("http://127.0.0.1:%d/%s", ports[1], account),
		tableURL: fmt.Sprintf("http://127.0.0.1:%d/%s", ports[2], account)}
	if err := waitTCP(60*time.Second, ports[0], ports[1], ports[2]); err != nil {
		stop(cmd)
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func startFuncemu(c config) (*server, error) {
	dir, err := os.MkdirTemp(c.work, "funcemu-data-")
	if err != nil {
		return nil, err
	}
	ready := filepath.Join(dir, "ready.json")
	cmd := exec.Command(c.funcemu, "storage", "--blob-port", "0", "--queue-port", "0", "--data-dir", dir, "--ready-file", ready)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, err := os.ReadFile(ready)
		if err == nil {
			var e struct{ Blob, Queue, Table string }
			if err := json.Unmarshal(b, &e); err != nil {
				stop(cmd)
				_ = os.RemoveAll(dir)
				return nil, fmt.Errorf("ready file: %w", err)
			}
			return &server{cmd: cmd, dir: dir, blobURL: e.Blob, queueURL: e.Queue, tableURL: e.Table}, nil
		}
		if time.Now().After(deadline) {
			stop(cmd)
			_ = os.RemoveAll(dir)
			return nil, errors.New("no ready file after 30 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func workload(c config, s *server, res *result) error {
	ctx := context.Background()
	if err := queueWorkload(ctx, c, s, res); err != nil {
		return fmt.Errorf("queue workload: %w", err)
	}
	if s.blobURL == "" {
		return errors.New("the server serves no blob endpoint")
	}
	if err := blobWorkload(ctx, c, s, res); err != nil {
		return fmt.Errorf("blob workload: %w", err)
	}
	if c.entities > 0 {
		if err := tableWorkload(ctx, c, s, res); err != nil {
			return fmt.Errorf("table workload: %w", err)
		}
	}
	return nil
}

func queueWorkload(ctx context.Context, c config, s *server, res *result) error {
	cred, err := azqueue.NewSharedKeyCredential(account, key)
	if err != nil {
		return err
	}
	svc, err := azqueue.NewServiceClientWithSharedKeyCredential(s.queueURL+"/", cred, nil)
	if err != nil {
		return err
	}
	q := svc.NewQueueClient("bench-queue")
	if _, err := q.Create(ctx, nil); err != nil {
		return err
	}
	text := strings.Repeat("m", 80)
	s.settle("queue enqueue")
	start := time.Now()
	for i := 0; i < c.messages; i++ {
		if _, err := q.EnqueueMessage(ctx, text, nil); err != nil {
			return err
		}
	}
	res.values["queue enqueue"] = float64(c.messages) / time.Since(start).Seconds()

	s.settle("queue dequeue")
	start = time.Now()
	done := 0
	for done < c.messages {
		got, err := q.DequeueMessages(ctx, &azqueue.DequeueMessagesOptions{NumberOfMessages: to.Ptr(int32(32)), VisibilityTimeout: to.Ptr(int32(60))})
		if err != nil {
			return err
		}
		if len(got.Messages) == 0 {
			return fmt.Errorf("queue empty after %d of %d messages", done, c.messages)
		}
		for _, m := range got.Messages {
			if _, err := q.DeleteMessage(ctx, *m.MessageID, *m.PopReceipt, nil); err != nil {
				return err
			}
			done++
		}
	}
	res.values["queue dequeue(32)+delete"] = float64(done) / time.Since(start).Seconds()
	return nil
}

func blobWorkload(ctx context.Context, c config, s *server, res *result) error {
	cred, err := azblob.NewSharedKeyCredential(account, key)
	if err != nil {
		return err
	}
	bc, err := azblob.NewClientWithSharedKeyCredential(s.blobURL+"/", cred, nil)
	if err != nil {
		return err
	}
	if _, err := bc.CreateContainer(ctx, "bench", nil); err != nil {
		return err
	}
	small := make([]byte, 4<<10)
	_, _ = rand.Read(small)
	s.settle("4 KiB upload")
	start := time.Now()
	for i := 0; i < c.blobs; i++ {
		if _, err := bc.UploadBuffer(ctx, "bench", fmt.Sprintf("small/%05d", i), small, nil); err != nil {
			return err
		}
	}
	res.values["4 KiB blob upload"] = float64(c.blobs) / time.Since(start).Seconds()
	s.settle("4 KiB download")
	start = time.Now()
	for i := 0; i < c.blobs; i++ {
		resp, err := bc.DownloadStream(ctx, "bench", fmt.Sprintf("small/%05d", i), nil)
		if err != nil {
			return err
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || n != int64(len(small)) {
			return fmt.Errorf("download small/%05d: %d bytes, %v", i, n, err)
		}
	}
	res.values["4 KiB blob download"] = float64(c.blobs) / time.Since(start).Seconds()
	const lists = 20
	if err := listBlobs(ctx, bc, c.blobs, listWarmUp); err != nil {
		return err
	}
	s.settle("list blobs")
	start = time.Now()
	if err := listBlobs(ctx, bc, c.blobs, lists); err != nil {
		return err
	}
	res.values[listRow] = lists / time.Since(start).Seconds()
	if err := blobWireWorkload(ctx, c, s, res, lists); err != nil {
		return err
	}

	large := make([]byte, c.largeMiB<<20)
	_, _ = rand.Read(large)
	want := sha256.Sum256(large)
	mb := float64(len(large)) / 1e6
	s.settle("large upload (one Put Blob)")
	start = time.Now()
	if _, err := bc.UploadBuffer(ctx, "bench", "large", large, &azblob.UploadBufferOptions{}); err != nil {
		return err
	}
	res.values["large blob upload (one Put Blob)"] = mb / time.Since(start).Seconds()
	s.settle("large upload (blocks)")
	start = time.Now()
	// UploadStream stages blocks whatever the size (UploadBuffer sends
	// a blob of up to 256 MiB as one Put Blob, whatever BlockSize says).
	if _, err := bc.UploadStream(ctx, "bench", "large", bytes.NewReader(large), &azblob.UploadStreamOptions{BlockSize: 8 << 20, Concurrency: 4}); err != nil {
		return err
	}
	res.values["large blob upload (8 MiB blocks x4)"] = mb / time.Since(start).Seconds()

	// Both downloads land in a destination touched before the clock
	// starts, and are checked after it stops: faulting in 64 MiB of fresh
	// memory took about 50 ms here and hashing it about 43 ms, each as long
	// as funcemu's whole transfer, and neither is the server's work. The
	// destination is refilled before each download, so no byte of the blob
	// is left over from the one before and the checksum proves each.
	dst := make([]byte, len(large))
	touch(dst)
	s.settle("large download (one GET)")
	start = time.Now()
	resp, err := bc.DownloadStream(ctx, "bench", "large", nil)
	if err != nil {
		return err
	}
	err = readWhole(resp.Body, dst)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("large blob (one GET): %w", err)
	}
	res.values["large blob download (one GET)"] = mb / time.Since(start).Seconds()
	if sha256.Sum256(dst) != want {
		return errors.New("large blob came back different (one GET)")
	}

	touch(dst)
	s.settle("large download (ranges)")
	start = time.Now()
	if _, err := bc.DownloadBuffer(ctx, "bench", "large", dst, &azblob.DownloadBufferOptions{BlockSize: 8 << 20, Concurrency: 4}); err != nil {
		return err
	}
	res.values["large blob download (8 MiB ranges x4)"] = mb / time.Since(start).Seconds()
	if sha256.Sum256(dst) != want {
		return errors.New("large blob came back different (ranges)")
	}
	parityWorkload(ctx, c, s, bc, res)
	return nil
}

// touch fills b so its pages are faulted in and hold no byte of a blob.
func touch(b []byte) {
	for i := range b {
		b[i] = 0xA5
	}
}

// readWhole reads exactly len(dst) bytes from r into dst and checks that
// nothing follows them.
func readWhole(r io.Reader, dst []byte) error {
	if _, err := io.ReadFull(r, dst); err != nil {
		return err
	}
	if n, _ := r.Read(make([]byte, 1)); n != 0 {
		return errors.New("longer than uploaded")
	}
	return nil
}

// peakRSS is the process's peak resident set (VmHWM) in KiB, 0 if unknown.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// stop asks the server to end, then kills it after 10 s.
func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var lns []net.Listener
	defer func() {
		for _, l := range lns {
			l.Close()
		}
	}()
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func waitTCP(timeout time.Duration, ports ...int) error {
	deadline := time.Now().Add(timeout)
	for _, p := range ports {
		for {
			conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", p), time.Second)
			if err == nil {
				conn.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("port %d not answering after %v", p, timeout)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}

func printTable(c config, az, fe *result) {
	row := "%-50s %14s %14s %10s\n"
	if c.markdown {
		fmt.Println("| metric | Azurite 3.37.0 | funcemu | funcemu ÷ Azurite |")
		fmt.Println("|---|---|---|---|")
		row = "| %s | %s | %s | %s |\n"
	} else {
		fmt.Printf(row, "metric", "Azurite 3.37.0", "funcemu", "ratio")
	}
	for _, m := range append(append(append(metrics, blobWireMetrics...), parityMetrics...), tableMetrics...) {
		a, f := az.values[m.name], fe.values[m.name]
		fmt.Printf(row, m.name+" ("+m.unit+")", fmt.Sprintf("%.1f", a), fmt.Sprintf("%.1f", f), ratio(f, a))
	}
	fmt.Printf(row, "peak RSS, VmHWM (MB, lower is better)",
		fmt.Sprintf("%.1f", float64(az.peakKB)/1024), fmt.Sprintf("%.1f", float64(fe.peakKB)/1024), ratio(float64(fe.peakKB), float64(az.peakKB)))
	fmt.Printf("\nworkload: %d queue messages of 80 B, %d blobs of 4 KiB (listed 20 times after %d untimed lists), one %d MiB blob (uploaded whole and in 8 MiB blocks), %d tagged blobs, %d pages of 4 KiB in a 1 GiB page blob; sequential, one client (Go SDK azqueue/v2 v2.1.2, azblob v1.8.3); best of %d interleaved rounds, fresh data folder each\n",
		c.messages, c.blobs, listWarmUp, c.largeMiB, c.tagged, c.pages, max(c.rounds, 1))
}

func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a/b)
}
