//go:build linux

// Command cpuprobe runs a fixed, single-threaded workload and prints, on one
// line of stdout,
//
//	cpu_s wall_s
//
// the CPU time it took (user+system, this process only) and the wall time.
// The workload never changes, so the figures measure the machine, not our
// code: a larger cpu_s means a slower core (a shared host's contention, a
// lower clock), and wall_s above cpu_s means the core was taken away (steal).
// bench.sh prints it before and after the test suite, so that a wall time can
// be read against the machine's speed at that moment.
//
// The work resembles what dominates the suite (Terraform's and the
// provider's type comparisons): string-keyed map inserts and iteration, plus
// SHA-256 over a buffer.
package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

func main() {
	runtime.GOMAXPROCS(1) // one core, the garbage collector's work included
	start := time.Now()
	var before syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &before); err != nil {
		fmt.Fprintln(os.Stderr, "cpuprobe:", err)
		os.Exit(1)
	}
	sink := 0
	for round := 0; round < 4; round++ {
		m := make(map[string]int)
		for i := 0; i < 300_000; i++ {
			m["attr_"+strconv.Itoa(i*7919%300_000)] = i
		}
		for pass := 0; pass < 10; pass++ {
			for k, v := range m {
				sink += len(k) + v
			}
		}
	}
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	for i := 0; i < 4; i++ {
		sum := sha256.Sum256(buf)
		sink += int(sum[0])
	}
	var after syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &after); err != nil {
		fmt.Fprintln(os.Stderr, "cpuprobe:", err)
		os.Exit(1)
	}
	cpu := seconds(after.Utime) + seconds(after.Stime) - seconds(before.Utime) - seconds(before.Stime)
	fmt.Printf("%.2f %.2f\n", cpu, time.Since(start).Seconds())
	if sink == 42 { // keep the work from being optimized away
		fmt.Fprintln(os.Stderr, "")
	}
}

func seconds(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
