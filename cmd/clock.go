package cmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
)

// clockOptions are the flags of funcemu clock.
type clockOptions struct {
	events eventsOptions
	url    string
	sys    *Factory
}

func newClockCmd(sys *Factory) *cobra.Command {
	o := &clockOptions{events: eventsOptions{clock: emulator.SystemClock{}}, sys: sys}
	c := &cobra.Command{
		Use:   "clock",
		Short: "Move the virtual clock of a running funcemu start --clock virtual",
	}
	c.PersistentFlags().StringVar(&o.events.app, "app", ".", "the function app folder")
	c.PersistentFlags().StringVar(&o.events.dataDir, "data-dir", "", dataDirHelp)
	c.PersistentFlags().StringVar(&o.url, "url", "", "the running funcemu's HTTP endpoint (default: from the data folder)")
	advance := &cobra.Command{
		Use:   "advance DURATION",
		Short: "Move the clock forward, firing the timers that fall due, in order",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := time.ParseDuration(args[0])
			if err == nil && d < 0 {
				return backwardsError(args[0])
			}
			if err != nil {
				return fmt.Errorf("duration %q: want a positive duration such as 1h or 24h", args[0])
			}
			return o.move(cmd, args[0], "")
		},
	}
	advance.SetFlagErrorFunc(negativeDurationFlagError)
	c.AddCommand(advance, &cobra.Command{
		Use:   "set TIME",
		Short: "Move the clock forward to an RFC 3339 time",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := time.Parse(time.RFC3339Nano, args[0]); err != nil {
				return fmt.Errorf("time %q: want an RFC 3339 time such as 2026-03-01T09:00:00Z", args[0])
			}
			return o.move(cmd, "", args[0])
		},
	})
	return c
}

// backwardsError explains why the clock cannot go back.
func backwardsError(arg string) error {
	return fmt.Errorf("duration %q: the virtual clock only moves forward, as time does: timers that fired stay fired; to start over, restart funcemu start --clock virtual", arg)
}

// negativeDurationFlagError turns cobra's "unknown shorthand flag: '5' in
// -5m" for a negative duration into the reason it is refused.
func negativeDurationFlagError(_ *cobra.Command, err error) error {
	msg := err.Error()
	if i := strings.LastIndex(msg, " in -"); i >= 0 && strings.HasPrefix(msg, "unknown shorthand flag") {
		arg := msg[i+len(" in "):]
		if len(arg) > 1 && arg[1] >= '0' && arg[1] <= '9' {
			return backwardsError(arg)
		}
	}
	return err
}

// move moves the clock of the running funcemu: to an RFC 3339 time when to
// is set, else forward by the duration by.
func (o *clockOptions) move(cmd *cobra.Command, by, to string) error {
	c, err := o.sys.adminClient(cmd, &o.events, o.url)
	if err != nil {
		return err
	}
	var st admin.ClockState
	if to != "" {
		st, err = c.SetClock(cmd.Context(), to)
	} else {
		st, err = c.AdvanceClock(cmd.Context(), by)
	}
	if err != nil {
		return fmt.Errorf("clock: %w", err)
	}
	_, err = fmt.Fprintf(cmd.OutOrStdout(), "clock at %s, %d timers fired\n", st.Now.Format(time.RFC3339), st.Fired)
	return err
}
