# The two commands a newcomer needs: `make demo` and `make test`.
# Both install the system libraries first when pkg-config cannot find them.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DIR ?= stemma-demo

.PHONY: deps build demo test bench clean

deps:
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libgit2 zlib sqlite3 libcrypto; then :; else \
		echo "Installing libgit2, zlib, sqlite3 and OpenSSL development packages"; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y pkg-config libgit2-dev zlib1g-dev libsqlite3-dev libssl-dev; \
	fi

build: deps
	$(SWIFT) build

demo: build
	./.build/debug/stemma demo $(DEMO_DIR)

# The whole suite, then the diff engine's property tests again on a release build under
# AddressSanitizer: its unsafe buffer code is checked where the optimiser has had its way with it.
# (Swift Testing only: XCTest's runner leaks a few bytes of its own, which LeakSanitizer would report.)
test: deps
	$(SWIFT) test
	$(SWIFT) test -c release --sanitize=address --scratch-path .build-asan --disable-xctest --filter 'PropertyTests|MoveBoundTests|MoveInnerTests|LexiconTests|TokenizeTests|ExactPairsTests'

# Benchmarks are never part of `make test` (see docs/PERFORMANCE.md).
bench: deps
	bash Benchmarks/run.sh

clean:
	rm -rf .build $(DEMO_DIR)
