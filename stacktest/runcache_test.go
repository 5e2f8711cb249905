package stacktest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunCache: the first claim of a key creates its entry (the caller must
// run it), a later claim of the same key gets the same entry to wait for,
// and waiters get what set recorded.
func TestRunCache(t *testing.T) {
	var c runCache[string]
	first, created := c.claim([]string{"a", "b", "a"})
	assert.Equal(t, []int{0, 1}, created, "a repeated key is one entry")
	assert.Same(t, first[0], first[2])

	again, created := c.claim([]string{"b", "c"})
	assert.Equal(t, []int{1}, created, "only c is new")
	assert.Same(t, first[1], again[0])

	boom := errors.New("boom")
	go first[1].set("", boom)
	_, err := again[0].wait()
	assert.Same(t, boom, err)
	first[0].set("plan of a", nil)
	v, err := first[2].wait()
	require.NoError(t, err)
	assert.Equal(t, "plan of a", v)
}
