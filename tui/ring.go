package tui

// ring keeps the newest items up to a fixed capacity, dropping the oldest,
// so the UI's memory stays bounded whatever the event rate.
type ring[T any] struct {
	items []T
	start int // index of the oldest item
	n     int
}

func newRing[T any](capacity int) *ring[T] {
	if capacity < 1 {
		capacity = 1
	}
	return &ring[T]{items: make([]T, capacity)}
}

// push adds v as the newest item and returns the item it evicted, if any.
func (r *ring[T]) push(v T) (evicted T, ok bool) {
	if r.n < len(r.items) {
		r.items[(r.start+r.n)%len(r.items)] = v
		r.n++
		return evicted, false
	}
	evicted = r.items[r.start]
	r.items[r.start] = v
	r.start = (r.start + 1) % len(r.items)
	return evicted, true
}

// len is the number of items held.
func (r *ring[T]) len() int { return r.n }

// at returns the i-th item, 0 being the oldest.
func (r *ring[T]) at(i int) T { return r.items[(r.start+i)%len(r.items)] }
