package store

// ForgetDueConversations empties the values of the outbox's due entries,
// as a store written before they named the item's conversation has them.
func ForgetDueConversations(s *Store) error {
	return s.Update(func(tx *Tx) error {
		b := tx.bucket(bktOutboxByDue)
		var keys [][]byte
		if err := b.ForEach(func(k, _ []byte) error {
			keys = append(keys, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := b.Put(k, []byte{}); err != nil {
				return err
			}
		}
		return nil
	})
}
