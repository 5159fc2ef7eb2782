package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
)

// clockOptions are the flags of funcemu clock.
type clockOptions struct {
	events eventsOptions
	url    string
}

func newClockCmd() *cobra.Command {
	o := &clockOptions{events: eventsOptions{clock: emulator.SystemClock{}}}
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
			return o.move(cmd, map[string]string{"by": args[0]})
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
			return o.move(cmd, map[string]string{"to": args[0]})
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

func (o *clockOptions) move(cmd *cobra.Command, body map[string]string) error {
	base := strings.TrimSuffix(o.url, "/")
	if base == "" {
		dir, err := o.events.dataDirIn(cmd, nil)
		if err != nil {
			return err
		}
		e, err := readInstance(dir)
		if err != nil {
			return err
		}
		base = e.HTTP
	}
	key, err := cliMasterKey(cmd, &o.events)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(cmd.Context(), http.MethodPost, base+"/admin/funcemu/clock/advance", bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("clock: %w", err)
	}
	setAdminHeaders(req, key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("clock: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("clock: the funcemu at %s runs on the system clock; start it with --clock virtual", base)
	}
	var st struct {
		Now   time.Time `json:"now"`
		Fired int       `json:"fired"`
		Error string    `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return fmt.Errorf("clock: %s: %w", resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("clock: %s", st.Error)
	}
	_, err = fmt.Fprintf(cmd.OutOrStdout(), "clock at %s, %d timers fired\n", st.Now.Format(time.RFC3339), st.Fired)
	return err
}
