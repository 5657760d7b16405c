// OpenSSL's SHA-1 only (it uses the CPU's SHA instructions where present). The low-level
// SHA1_* calls are deprecated in OpenSSL 3 in favour of EVP, whose per-call set-up costs more
// than hashing a small tree object; they remain supported, so the warning is silenced here.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>

static inline int stemma_sha1_init(SHA_CTX *c) { return SHA1_Init(c); }
static inline int stemma_sha1_update(SHA_CTX *c, const void *data, size_t len) { return SHA1_Update(c, data, len); }
static inline int stemma_sha1_final(unsigned char *md, SHA_CTX *c) { return SHA1_Final(md, c); }
