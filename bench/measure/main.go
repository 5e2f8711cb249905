//go:build linux

// Command measure runs a command and reports, on one line of stdout,
//
//	wall_s cpu_s peak_rss_kb
//
// wall_s: until the command itself exits (what a user waits for);
// cpu_s: user+system CPU of the command and of every process it started,
// including those it does not wait for (a jsii program exits without waiting
// for its Node kernel: measure makes itself their subreaper and waits for
// them all); peak_rss_kb: the largest peak RSS among them (the Node kernel's,
// for a cdktf Go program). The command's own output goes to measure's stderr.
//
//	measure [-C dir] -- command args...
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	dir := flag.String("C", "", "run the command in this directory")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: measure [-C dir] -- command args...")
		os.Exit(2)
	}
	// PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented to us.
	const prSetChildSubreaper = 36 // linux/prctl.h
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		err := error(errno)
		fmt.Fprintln(os.Stderr, "measure: prctl:", err)
		os.Exit(1)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = *dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
	var ws syscall.WaitStatus
	if _, err := syscall.Wait4(cmd.Process.Pid, &ws, 0, nil); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
	wall := time.Since(start)
	// Reap every remaining descendant (they were reparented to us).
	for {
		if _, err := syscall.Wait4(-1, nil, 0, nil); err != nil {
			break // ECHILD: none left
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	fmt.Printf("%.3f %.3f %d\n", wall.Seconds(), cpu.Seconds(), ru.Maxrss)
	if !ws.Exited() || ws.ExitStatus() != 0 {
		fmt.Fprintf(os.Stderr, "measure: %s: %v\n", args[0], ws)
		os.Exit(1)
	}
}
