package cmd

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/build"
	"github.com/funcemu/funcemu/emulator/host"
	"github.com/funcemu/funcemu/emulator/worker"
)

// buildHandler builds the handler; when the build fails and funcemu
// watches the folder, it waits for a fix as a reload does.
func (r *runner) buildHandler(ctx context.Context) error {
	err := r.buildOnce(ctx)
	if err == nil || ctx.Err() != nil {
		return err
	}
	if r.opts.noWatch {
		return buildFailed(err)
	}
	return r.waitForFix(ctx, err)
}

// buildOnce runs the --build command, or go build when the app is a
// Go module.
func (r *runner) buildOnce(ctx context.Context) error {
	if !r.opts.noBuild && r.opts.buildCmd != "" {
		return r.runBuildCommand(ctx)
	}
	if r.opts.noBuild || !fileExists(filepath.Join(r.app.Dir, "go.mod")) {
		return nil
	}
	_, err := build.Run(ctx, build.Options{
		Dir: r.app.Dir, Output: r.exe, TempDir: r.buildDir(), Publisher: r.bus,
	})
	return err
}

// prewarmSupervisor starts the handler's supervisor (Linux) ahead, while
// storage and the journal open, so the handler starts without waiting for
// it; and keeps one ready for each rebuilt handler's swap.
func (r *runner) prewarmSupervisor(context.Context) error {
	worker.Prewarm()
	return nil
}

// handlerEnv is the handler process's environment.
func (r *runner) handlerEnv() []string { return r.withStorageEnv(app.HandlerEnv(r.app, r.environ())) }

// startHandler starts the custom handler process under its supervisor.
func (r *runner) startHandler(ctx context.Context) error {
	if err := r.checkExecutable(); err != nil {
		return err
	}
	a := r.app
	r.sup = worker.New(worker.Options{
		Executable:   r.exe,
		Args:         a.Host.CustomHandler.Arguments,
		Dir:          a.Host.CustomHandler.WorkingDirectory,
		Env:          r.handlerEnv(),
		AppRoot:      a.Dir,
		InitTimeout:  a.Host.CustomHandler.InitializationTimeout,
		DrainTimeout: a.Host.FunctionTimeout,
		Publisher:    r.bus,
	})
	r.onClose(func() { r.sup.Close() })
	if err := r.sup.Start(ctx); err != nil {
		return fmt.Errorf("start the custom handler: %w", err)
	}
	return nil
}

// startHost creates the function host over the handler.
func (r *runner) startHost(context.Context) error {
	r.host = host.New(r.hostOptions())
	return nil
}

// hostOptions are the host's options; parts that write outputs or read
// inputs add their hooks here.
func (r *runner) hostOptions() host.Options {
	return host.Options{
		App:                 r.app,
		Worker:              workerPool{r.sup},
		Publisher:           r.bus,
		Clock:               r.clock,
		CompatBase64Outputs: r.opts.compatBase64,
		Outputs:             r.storageBindings().bindings.Write,
		Inputs:              r.storageBindings().bindings.Read,
	}
}

// workerPool lets the host use the supervisor's leases.
type workerPool struct{ s *worker.Supervisor }

func (p workerPool) Acquire(ctx context.Context) (host.Lease, error) {
	l, err := p.s.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	return l, nil
}
