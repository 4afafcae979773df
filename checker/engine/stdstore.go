// The standard library's store: its declarations-only packages kept across runs in the cache
// directory (issue #27). The standard library is the same for every module a Go installation
// checks, and a declarations entry's sharing key covers all it depends on (its files' paths and
// contents, its imports' keys, sizes, cgo), so a package written under its key is what checking
// that key again would give (typestore.go writes and reads it). A run reads what is there and
// checks the rest, adding those; anything the store cannot write or read is checked as before.
//
// Packages are kept in pack files, one written per run that checked any, as the result cache
// keeps findings (a file per package cost more than checking it): the packages one after
// another, then an index (key, offset, length, CRC-32 of the bytes: a package whose bytes do
// not match is checked instead), then the index's offset and a magic word. A run
// reads the indexes of the packs there, and a package's bytes when an entry asks for it. Past
// maxPacks packs the next write copies them all into one.

package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"go/token"
	"go/types"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const stdPackMagic = "cvstd\x00\x00\x02"

type stdStore struct {
	dir   string                 // "": no store
	inStd func(path string) bool // a file of the standard library (fileCache.inStd)

	once  sync.Once
	index map[string]stdLoc // key -> where its package is
	packs []*os.File

	mu      sync.Mutex
	noWrite bool     // the directory or this run's pack could not be written
	out     *os.File // this run's pack, written as packages are checked
	outName string
	outOff  int64
	outIdx  []stdIndexEntry
	written map[string]bool

	hits, writes atomic.Int64
	addFile      fileAdder // the positions of the packages read (typestore.go)
}

// stdSpan is where a package's bytes are in a pack, and their CRC-32.
type stdSpan struct {
	off, n int64
	crc    uint32
}

type stdLoc struct {
	f *os.File
	stdSpan
}

type stdIndexEntry struct {
	key [32]byte
	stdSpan
}

// newStdStore: the store under the result cache's directory ("" keeps none), for the standard
// library fc knows, its packages' positions added to fc's file set.
func newStdStore(cacheDir string, fc *fileCache) *stdStore {
	s := &stdStore{inStd: fc.inStd, written: map[string]bool{}, addFile: newFileAdder(fc.fset)}
	if cacheDir != "" && fc.stdDir != "" {
		s.dir = filepath.Join(cacheDir, "std")
	}
	return s
}

// holds: e is a standard-library declarations entry, which the store keeps.
func (s *stdStore) holds(e *entry) bool {
	if s.dir == "" || e.full || e.bodies || e.thin || len(e.files) == 0 {
		return false
	}
	for _, f := range e.files {
		if !s.inStd(f) {
			return false
		}
	}
	return true
}

func (s *stdStore) read() {
	s.index = map[string]stdLoc{}
	names, _ := filepath.Glob(filepath.Join(s.dir, "pack-*.bin"))
	sort.Strings(names)
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		idx, err := readStdIndex(f)
		if err != nil {
			f.Close()
			continue
		}
		s.packs = append(s.packs, f)
		for _, ie := range idx {
			s.index[hex.EncodeToString(ie.key[:])] = stdLoc{f, ie.stdSpan}
		}
	}
}

func readStdIndex(f *os.File) ([]stdIndexEntry, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	var tail [16]byte
	if size < int64(len(tail)) {
		return nil, errBadStore
	}
	if _, err := f.ReadAt(tail[:], size-16); err != nil {
		return nil, err
	}
	if string(tail[8:]) != stdPackMagic {
		return nil, errBadStore
	}
	at := int64(binary.LittleEndian.Uint64(tail[:8]))
	if at < 0 || at > size-16 {
		return nil, errBadStore
	}
	br := bufio.NewReader(io.NewSectionReader(f, at, size-16-at))
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, err
	}
	out := make([]stdIndexEntry, 0, min(n, 1<<20))
	for i := uint64(0); i < n; i++ {
		var ie stdIndexEntry
		if _, err := io.ReadFull(br, ie.key[:]); err != nil {
			return nil, err
		}
		off, err1 := binary.ReadUvarint(br)
		ln, err2 := binary.ReadUvarint(br)
		crc, err3 := binary.ReadUvarint(br)
		if err1 != nil || err2 != nil || err3 != nil || int64(off+ln) > at || crc > 1<<32-1 {
			return nil, errBadStore
		}
		ie.stdSpan = stdSpan{int64(off), int64(ln), uint32(crc)}
		out = append(out, ie)
	}
	return out, nil
}

// get is the blob stored under key (hex), if any.
func (s *stdStore) get(key string) ([]byte, bool) {
	if s.dir == "" {
		return nil, false
	}
	s.once.Do(s.read)
	loc, ok := s.index[key]
	if !ok {
		return nil, false
	}
	data := make([]byte, loc.n)
	if _, err := loc.f.ReadAt(data, loc.off); err != nil || crc32.ChecksumIEEE(data) != loc.crc {
		return nil, false
	}
	return data, true
}

// load gives e its package from the store when the store has its key; imports are read from
// e's imports, which are done.
func (s *stdStore) load(e *entry) bool {
	if !s.holds(e) {
		return false
	}
	data, ok := s.get(e.key)
	if !ok {
		return false
	}
	pkg, err := decodePackage(s.addFile, data, importClosure(e))
	if err != nil || pkg.Path() != e.path {
		return false
	}
	e.pkg = pkg
	s.hits.Add(1)
	return true
}

// importClosure: the packages e's imports reach, by path (a declaration's type may name a
// package its file does not import: `var X = b.F()` whose result is c.T).
func importClosure(e *entry) map[string]*types.Package {
	roots := []*types.Package{types.Unsafe}
	for _, d := range e.imports {
		if d.pkg != nil {
			roots = append(roots, d.pkg)
		}
	}
	return packageClosure(roots)
}

// save adds e's package, just checked without errors, to this run's pack.
func (s *stdStore) save(e *entry, fset *token.FileSet) {
	if !s.holds(e) || e.pkg == nil || e.declErr {
		return
	}
	if data, err := encodePackage(fset, e.pkg); err == nil && s.put(e.key, data) {
		s.writes.Add(1)
	}
}

// put adds data under key (hex) to this run's pack (false: not written).
func (s *stdStore) put(key string, data []byte) bool {
	k, err := hex.DecodeString(key)
	if err != nil || len(k) != 32 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" || s.noWrite || s.written[key] {
		return false
	}
	if s.out == nil {
		if os.MkdirAll(s.dir, 0o755) != nil {
			s.noWrite = true
			return false
		}
		s.outName = packName(s.dir, ".bin")
		f, err := os.Create(strings.TrimSuffix(s.outName, ".bin") + ".tmp")
		if err != nil {
			s.noWrite = true
			return false
		}
		s.out = f
	}
	if s.append(k, data, crc32.ChecksumIEEE(data)) != nil {
		s.abandon()
		return false
	}
	s.written[key] = true
	return true
}

// append writes a package's bytes to this run's pack and indexes them under key (s.mu held).
func (s *stdStore) append(key, data []byte, crc uint32) error {
	if _, err := s.out.Write(data); err != nil {
		return err
	}
	ie := stdIndexEntry{stdSpan: stdSpan{s.outOff, int64(len(data)), crc}}
	copy(ie.key[:], key)
	s.outOff += int64(len(data))
	s.outIdx = append(s.outIdx, ie)
	return nil
}

// refsKey is where a standard-library file's fileRefs are stored: by its contents' digest.
func refsKey(sum [32]byte) string {
	k := sha256.Sum256(append([]byte("crossvet-refs-1\x00"), sum[:]...))
	return hex.EncodeToString(k[:])
}

// refs are the stored fileRefs of a standard-library file with these contents.
func (s *stdStore) refs(sum [32]byte) (*fileRefs, bool) {
	data, ok := s.get(refsKey(sum))
	if !ok {
		return nil, false
	}
	r, err := decodeRefs(data)
	return r, err == nil
}

func (s *stdStore) saveRefs(sum [32]byte, r *fileRefs) {
	s.put(refsKey(sum), encodeRefs(r))
}

func (s *stdStore) abandon() {
	name := s.out.Name()
	s.out.Close()
	os.Remove(name)
	s.out, s.noWrite = nil, true
}

// flush finishes this run's pack (its index, then renamed into place), copying the older packs
// into it past maxPacks, and closes the packs read.
func (s *stdStore) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		for _, f := range s.packs {
			f.Close()
		}
		s.packs = nil
	}()
	if s.out == nil {
		return
	}
	s.once.Do(s.read)
	var old []string
	if len(s.packs)+1 > maxPacks {
		if err := s.compactInto(); err != nil {
			s.abandon()
			return
		}
		for _, f := range s.packs {
			old = append(old, f.Name())
		}
	}
	var idx bytes.Buffer
	idx.Write(binary.AppendUvarint(nil, uint64(len(s.outIdx))))
	for _, ie := range s.outIdx {
		idx.Write(ie.key[:])
		idx.Write(binary.AppendUvarint(nil, uint64(ie.off)))
		idx.Write(binary.AppendUvarint(nil, uint64(ie.n)))
		idx.Write(binary.AppendUvarint(nil, uint64(ie.crc)))
	}
	var tail [8]byte
	binary.LittleEndian.PutUint64(tail[:], uint64(s.outOff))
	idx.Write(tail[:])
	idx.WriteString(stdPackMagic)
	tmp := s.out.Name()
	if _, err := s.out.Write(idx.Bytes()); err != nil {
		s.abandon()
		return
	}
	if s.out.Close() != nil || os.Rename(tmp, s.outName) != nil {
		os.Remove(tmp)
		s.out = nil
		return
	}
	s.out = nil
	for _, name := range old {
		os.Remove(name)
	}
	// a run killed before its flush leaves its pack unfinished: gone after a day
	tmps, _ := filepath.Glob(filepath.Join(s.dir, "pack-*.tmp"))
	for _, name := range tmps {
		if st, err := os.Stat(name); err == nil && time.Since(st.ModTime()) > 24*time.Hour {
			os.Remove(name)
		}
	}
}

// compactInto copies every package of the older packs that this run did not write into its
// pack.
func (s *stdStore) compactInto() error {
	keys := make([]string, 0, len(s.index))
	for k := range s.index {
		if !s.written[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		loc := s.index[k]
		data := make([]byte, loc.n)
		if _, err := loc.f.ReadAt(data, loc.off); err != nil {
			return err
		}
		key, err := hex.DecodeString(k)
		if err != nil || len(key) != 32 {
			return errors.New("bad key")
		}
		if err := s.append(key, data, loc.crc); err != nil {
			return err
		}
	}
	return nil
}
