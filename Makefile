# aws-vault (C++) — the two promises of README.md:
#   make        builds build/aws-vault (hardened release)
#   make test   installs what is missing, builds, runs every test, then again under ASan+UBSan
# Other targets: deps, test-curl, fuzz, static, install, format, bench, clean. `make help` lists them.

SHELL       := /bin/bash
BUILD       ?= build
ASAN_BUILD  ?= build-asan
FUZZ_BUILD  ?= build-fuzz
STATIC_BUILD?= build-static
CURL_BUILD  ?= build-curl
PREFIX      ?= /usr/local
FUZZ_SECONDS?= 30
WERROR      ?= OFF
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
GENERATOR   := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
VERSION     := $(shell git describe --tags --dirty 2>/dev/null || echo dev)
CMAKE_COMMON = -G "$(GENERATOR)" -DAV_VERSION="$(VERSION)" -DAV_WERROR=$(WERROR)
CTEST_FLAGS ?= --output-on-failure -j $(JOBS)

.PHONY: all build deps test test-release test-asan test-curl fuzz static install format bench clean help

all: build

help:
	@echo "make            build $(BUILD)/aws-vault (release, hardened)"
	@echo "make test       deps + build + all tests, then all tests under ASan+UBSan"
	@echo "make deps       install missing Debian/Ubuntu packages (apt)"
	@echo "make test-curl  the net tests against our HTTP client and the optional libcurl one"
	@echo "make fuzz       run every libFuzzer target for FUZZ_SECONDS (default 30)"
	@echo "make static     fully static $(STATIC_BUILD)/aws-vault"
	@echo "make install    install to PREFIX (default /usr/local)"
	@echo "make format     clang-format the sources"
	@echo "make bench      run the benchmarks and print medians and ratios"

deps:
	@tools/deps.sh

build:
	@cmake -S . -B $(BUILD) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target aws-vault
	@echo "built $(BUILD)/aws-vault ($(VERSION))"

test: deps test-release test-asan

test-release:
	cmake -S . -B $(BUILD) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)
	ctest --test-dir $(BUILD) $(CTEST_FLAGS)

test-asan:
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Debug -DAV_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) $(CTEST_FLAGS)

# test-curl: build with the optional libcurl HttpClient (AV_WITH_CURL) and run the net tests,
# which then run against both clients. Installs libcurl's headers (tools/deps.sh curl).
test-curl:
	@tools/deps.sh curl
	cmake -S . -B $(CURL_BUILD) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Debug -DAV_WITH_CURL=ON
	cmake --build $(CURL_BUILD) -j $(JOBS)
	ctest --test-dir $(CURL_BUILD) $(CTEST_FLAGS) -R net

fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAV_FUZZ=ON \
	  -DCMAKE_CXX_COMPILER=clang++
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target av_fuzz_targets
	tools/run_fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

static: deps
	cmake -S . -B $(STATIC_BUILD) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release -DAV_STATIC=ON \
	  -DAV_BUILD_TESTS=OFF
	cmake --build $(STATIC_BUILD) -j $(JOBS) --target aws-vault
	strip $(STATIC_BUILD)/aws-vault
	@file $(STATIC_BUILD)/aws-vault

install: build
	cmake --install $(BUILD) --prefix "$(PREFIX)"

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

bench: build
	@tools/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(STATIC_BUILD) $(CURL_BUILD)
