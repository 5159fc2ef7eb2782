package rest

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
)

// Every signed request is checked with an HMAC of the account key.
// hmac.New hashes the key into fresh pads and allocates a handful of
// objects each time; a state kept per key is only Reset instead.

// maxPooledKeys bounds the keys kept: account keys are few, but user
// delegation keys are derived per request signer.
const maxPooledKeys = 64

var hmacPools = struct {
	mu    sync.RWMutex
	pools map[string]*sync.Pool
}{pools: map[string]*sync.Pool{}}

// hmacPool is the pool of HMAC-SHA256 states for key, or nil when too
// many keys are pooled already.
func hmacPool(key []byte) *sync.Pool {
	hmacPools.mu.RLock()
	p := hmacPools.pools[string(key)]
	hmacPools.mu.RUnlock()
	if p != nil {
		return p
	}
	hmacPools.mu.Lock()
	defer hmacPools.mu.Unlock()
	if p = hmacPools.pools[string(key)]; p != nil {
		return p
	}
	if len(hmacPools.pools) >= maxPooledKeys {
		return nil
	}
	k := string(key)
	p = &sync.Pool{New: func() any { return hmac.New(sha256.New, []byte(k)) }}
	hmacPools.pools[k] = p
	return p
}

// sign is HMAC-SHA256(key, sts).
func sign(key []byte, sts string) []byte {
	p := hmacPool(key)
	if p == nil {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(sts))
		return m.Sum(nil)
	}
	m := p.Get().(hash.Hash)
	m.Reset()
	m.Write([]byte(sts))
	out := m.Sum(nil)
	p.Put(m)
	return out
}
