package stacktest

import "sync"

// runCache holds, by stack content, the results of the runs that make them
// (plans, scans) in a test binary: the first caller to ask for a key creates
// its entry and does the run; later callers wait for that entry.
type runCache[T any] struct {
	mu      sync.Mutex
	entries map[string]*runEntry[T]
}

// runEntry is one result, made or being made.
type runEntry[T any] struct {
	done chan struct{} // closed by set
	val  T
	err  error
}

// claim returns the entry of each key, creating the missing ones, and the
// indexes of the keys whose entries this call created: the caller does
// their run and sets them.
func (c *runCache[T]) claim(keys []string) (entries []*runEntry[T], created []int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*runEntry[T]{}
	}
	entries = make([]*runEntry[T], len(keys))
	for i, k := range keys {
		e := c.entries[k]
		if e == nil {
			e = &runEntry[T]{done: make(chan struct{})}
			c.entries[k] = e
			created = append(created, i)
		}
		entries[i] = e
	}
	return entries, created
}

// set records the run's result and releases every waiter.
func (e *runEntry[T]) set(val T, err error) {
	e.val, e.err = val, err
	close(e.done)
}

// wait returns the result once it is set.
func (e *runEntry[T]) wait() (T, error) {
	<-e.done
	return e.val, e.err
}
