package storage

// publishBlob tells the container's subscribers about a committed change;
// call it only after the transaction committed.
func (s *Store) publishBlob(b Blob, kind BlobChangeKind) {
	s.NotifyBlob(BlobChange{Account: b.Account, Container: b.Container, Name: b.Name, ETag: b.ETag, Kind: kind})
}
