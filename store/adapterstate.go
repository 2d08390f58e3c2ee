package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// bktAdapterState holds small keyed documents the platform adapters keep
// across restarts (Slack's forms posted as messages, Teams' conversation
// references), under "platform 0x00 key". The adapters own the documents'
// format; the store keeps their bytes until they expire.
const bktAdapterState = "adapter_state"

// adapterState is one document in bktAdapterState.
type adapterState struct {
	Expires time.Time `json:"expires"`
	Value   []byte    `json:"value"`
}

// createAdapterStateBucket creates the adapter state bucket.
func createAdapterStateBucket(tx kv.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bktAdapterState); err != nil {
		return fmt.Errorf("create bucket %s: %w", bktAdapterState, err)
	}
	return nil
}

// adapterStateKey is the bucket key of platform's key.
func adapterStateKey(platform, key string) ([]byte, error) {
	switch {
	case platform == "" || key == "":
		return nil, errors.New("empty platform or key")
	case bytes.IndexByte([]byte(platform), 0) >= 0:
		return nil, errors.New("platform contains a NUL byte")
	}
	k := make([]byte, 0, len(platform)+1+len(key))
	k = append(k, platform...)
	k = append(k, 0)
	return append(k, key...), nil
}

// PutAdapterState keeps value under platform's key until expires,
// replacing what was kept there. An expiry not after now forgets the key
// instead.
func (tx *Tx) PutAdapterState(platform, key string, value []byte, expires time.Time) error {
	k, err := adapterStateKey(platform, key)
	if err != nil {
		return fmt.Errorf("put adapter state: %w", err)
	}
	b := tx.bucket(bktAdapterState)
	if !expires.After(tx.Now()) {
		err = b.Delete(k)
	} else {
		var raw []byte
		if raw, err = json.Marshal(adapterState{Expires: expires.Round(0), Value: value}); err == nil {
			err = b.Put(k, raw)
		}
	}
	if err != nil {
		return fmt.Errorf("put adapter state %s: %w", platform, err)
	}
	return nil
}

// AdapterState returns the value kept under platform's key, and false when
// there is none or it has expired.
func (tx *Tx) AdapterState(platform, key string) ([]byte, bool, error) {
	k, err := adapterStateKey(platform, key)
	if err != nil {
		return nil, false, fmt.Errorf("adapter state: %w", err)
	}
	var st adapterState
	err = getJSON(tx.bucket(bktAdapterState), k, &st)
	if errors.Is(err, ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("adapter state %s: %w", platform, err)
	}
	if !st.Expires.After(tx.Now()) {
		return nil, false, nil
	}
	if st.Value == nil {
		st.Value = []byte{} // kept, though empty
	}
	return st.Value, true, nil
}

// PurgeAdapterState forgets every value expired at now, of any platform,
// and returns how many it removed.
func (tx *Tx) PurgeAdapterState(now time.Time) (int, error) {
	n, err := 0, tx.writable()
	if err == nil {
		n, err = deleteWhere(tx.bucket(bktAdapterState), func(_, v []byte) (bool, error) {
			var st adapterState
			// A document that cannot be read is of no use to anyone: purge it.
			return json.Unmarshal(v, &st) != nil || !st.Expires.After(now), nil
		})
	}
	if err != nil {
		return 0, fmt.Errorf("purge adapter state: %w", err)
	}
	return n, nil
}
