// store::sqlite::FaultVfs: a SQLite VFS that forwards to the default one and makes writes or
// syncs fail on demand, to test how the store behaves when the disk fails under SQLite (full
// disk, I/O error, failed fsync). Test support only; private to the store module.
//
// Thread-safety: the failure switches are atomic and may be flipped from any thread; create and
// destroy a FaultVfs while no database uses it.
//
// Example:
//   FaultVfs vfs("vntrace-fault");
//   auto db = SqliteStore::Open({.path = p, .vfs_for_test = vfs.name()});
//   vfs.FailWritesAfter(3);   // the fourth write from now on, and every one after, fails
//   ... (*db)->CaptureEvents(events) fails with kInternal ...
//   vfs.Heal();
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <string>

namespace vntrace::store::sqlite {

class FaultVfs {
 public:
  // Registers the VFS under `name` (not as the default).
  explicit FaultVfs(std::string name);
  // Unregisters it.
  ~FaultVfs();
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  const std::string& name() const { return name_; }

  // After `n` more successful writes, every write fails with SQLITE_IOERR_WRITE.
  void FailWritesAfter(int n) { writes_left_ = n; }
  // Every sync fails with SQLITE_IOERR_FSYNC while set.
  void FailSyncs(bool fail) { fail_syncs_ = fail; }
  // Back to forwarding everything.
  void Heal() {
    writes_left_ = -1;
    fail_syncs_ = false;
  }

  // Used by the file methods.
  bool WriteShouldFail();
  bool SyncShouldFail() const { return fail_syncs_; }
  sqlite3_vfs* base() const { return base_; }

 private:
  const std::string name_;
  sqlite3_vfs* const base_;
  sqlite3_vfs vfs_;
  std::atomic<int> writes_left_ = -1;  // -1: never fail
  std::atomic<bool> fail_syncs_ = false;
};

}  // namespace vntrace::store::sqlite
