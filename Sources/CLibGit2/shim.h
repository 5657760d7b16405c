#ifndef STEMMA_CLIBGIT2_SHIM_H
#define STEMMA_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <git2/sys/transport.h>

/* A subtransport and a stream that pass every call on to libgit2's own (`inner`), so Stemma can
   keep the bytes of a reference advertisement and write a push itself (Sources/Git/
   ReceivePackConnection.swift). Only the layout is here; the functions are in Swift. */
typedef struct stemma_subtransport {
    git_smart_subtransport parent;
    git_smart_subtransport *inner;
    void *context;
} stemma_subtransport;

typedef struct stemma_stream {
    git_smart_subtransport_stream parent;
    git_smart_subtransport_stream *inner;
    void *context;
} stemma_stream;

/* An object-database backend that reads nothing itself: it checks a loose object's file before
   libgit2's loose backend inflates it (Sources/Git/LooseObjectGuard.swift). */
typedef struct stemma_odb_guard {
    git_odb_backend parent;
    void *context;
} stemma_odb_guard;

#if LIBGIT2_VER_MAJOR < 1 || (LIBGIT2_VER_MAJOR == 1 && LIBGIT2_VER_MINOR < 1)
#error "Stemma needs libgit2 1.1 or newer"
#endif

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option we use. */
static inline int stemma_git_set_strict_object_creation(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, enabled);
}
static inline int stemma_git_set_cache_max_size(long long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}
static inline int stemma_git_set_tree_cache_limit(long long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)bytes);
}
static inline int stemma_git_set_mwindow_mapped_limit(long long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)bytes);
}

#endif
