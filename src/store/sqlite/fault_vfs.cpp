#include "store/sqlite/fault_vfs.hpp"

#include <cstring>
#include <utility>

#include "core/result.hpp"

namespace vntrace::store::sqlite {
namespace {

// A file of the fault VFS: our header followed by the real file of the default VFS.
struct FaultFile {
  sqlite3_file base;  // must come first: SQLite sees a FaultFile* as a sqlite3_file*
  FaultVfs* vfs;
  sqlite3_file* real;
};

FaultFile* Cast(sqlite3_file* file) { return reinterpret_cast<FaultFile*>(file); }
sqlite3_file* Real(sqlite3_file* file) { return Cast(file)->real; }

int Close(sqlite3_file* file) { return Real(file)->pMethods->xClose(Real(file)); }
int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  return Real(file)->pMethods->xRead(Real(file), buffer, amount, offset);
}
int Write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  if (Cast(file)->vfs->WriteShouldFail()) {
    return SQLITE_IOERR_WRITE;
  }
  return Real(file)->pMethods->xWrite(Real(file), buffer, amount, offset);
}
int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  return Real(file)->pMethods->xTruncate(Real(file), size);
}
int Sync(sqlite3_file* file, int flags) {
  if (Cast(file)->vfs->SyncShouldFail()) {
    return SQLITE_IOERR_FSYNC;
  }
  return Real(file)->pMethods->xSync(Real(file), flags);
}
int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  return Real(file)->pMethods->xFileSize(Real(file), size);
}
int Lock(sqlite3_file* file, int level) { return Real(file)->pMethods->xLock(Real(file), level); }
int Unlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}
int FileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}
int SectorSize(sqlite3_file* file) { return Real(file)->pMethods->xSectorSize(Real(file)); }
int DeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
int ShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return Real(file)->pMethods->xShmMap(Real(file), region, size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) { Real(file)->pMethods->xShmBarrier(Real(file)); }
int ShmUnmap(sqlite3_file* file, int delete_flag) {
  return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}
int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return Real(file)->pMethods->xFetch(Real(file), offset, amount, out);
}
int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  return Real(file)->pMethods->xUnfetch(Real(file), offset, page);
}

// Version 3 methods (WAL shared memory and memory-mapped I/O forwarded); used only for real
// files that offer them (the unix VFS does).
constexpr sqlite3_io_methods kMethods = {
    .iVersion = 3,
    .xClose = Close,
    .xRead = Read,
    .xWrite = Write,
    .xTruncate = Truncate,
    .xSync = Sync,
    .xFileSize = FileSize,
    .xLock = Lock,
    .xUnlock = Unlock,
    .xCheckReservedLock = CheckReservedLock,
    .xFileControl = FileControl,
    .xSectorSize = SectorSize,
    .xDeviceCharacteristics = DeviceCharacteristics,
    .xShmMap = ShmMap,
    .xShmLock = ShmLock,
    .xShmBarrier = ShmBarrier,
    .xShmUnmap = ShmUnmap,
    .xFetch = Fetch,
    .xUnfetch = Unfetch,
};

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* owner = static_cast<FaultVfs*>(vfs->pAppData);
  FaultFile* fault = Cast(file);
  std::memset(fault, 0, sizeof(FaultFile));
  fault->vfs = owner;
  fault->real = reinterpret_cast<sqlite3_file*>(fault + 1);
  const int rc = owner->base()->xOpen(owner->base(), name, fault->real, flags, out_flags);
  if (fault->real->pMethods != nullptr) {
    fault->base.pMethods = &kMethods;
  }
  return rc;
}

}  // namespace

FaultVfs::FaultVfs(std::string name) : name_(std::move(name)), base_(sqlite3_vfs_find(nullptr)) {
  VNTRACE_ASSERT(base_ != nullptr && base_->iVersion >= 3);  // the unix VFS
  vfs_ = *base_;
  vfs_.szOsFile = static_cast<int>(sizeof(FaultFile)) + base_->szOsFile;
  vfs_.zName = name_.c_str();
  vfs_.pAppData = this;
  vfs_.xOpen = Open;
  vfs_.pNext = nullptr;
  VNTRACE_ASSERT(sqlite3_vfs_register(&vfs_, 0) == SQLITE_OK);  // test set-up
}

FaultVfs::~FaultVfs() { sqlite3_vfs_unregister(&vfs_); }

bool FaultVfs::WriteShouldFail() {
  int left = writes_left_.load();
  while (left > 0) {
    if (writes_left_.compare_exchange_weak(left, left - 1)) {
      return false;
    }
  }
  return left == 0;
}

}  // namespace vntrace::store::sqlite
