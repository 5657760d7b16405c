#ifndef STEMMA_CLIBGIT2_SHIM_H
#define STEMMA_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

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
