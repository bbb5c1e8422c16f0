#!/usr/bin/env bash
# Makes sure headless Chromium is installed for the server module's browser test: Debian's
# `chromium` package, installed with apt-get when this runs as root and apt-get exists. The
# build runs it before the integration tests (`mvn verify`); it can be run by hand too.
#
#   scripts/ensure-chromium.sh [--skip=true]...   any --skip=true makes it do nothing (the build
#                                                 passes -Dweft.browser.skip and -DskipTests here)
#
# Exit status 0 when Chromium is there (or skipped). When it cannot be installed here it says why
# and still exits 0: the browser test then fails with that reason, unless it is skipped.
set -euo pipefail

for arg in "$@"; do
    if [ "$arg" = "--skip=true" ]; then
        exit 0
    fi
done

find_chromium() {
    for name in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return 0
        fi
    done
    return 1
}

if path=$(find_chromium); then
    echo "ensure-chromium: found $path"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "ensure-chromium: chromium is not installed and this is not root, so it cannot be installed here;" \
        "install Debian's chromium package, or skip the browser test with -Dweft.browser.skip=true" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: chromium is not installed and there is no apt-get to install it with;" \
        "install Chromium, or skip the browser test with -Dweft.browser.skip=true" >&2
    exit 0
fi

echo "ensure-chromium: installing Debian's chromium package (apt-get)"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq || ! apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    echo "ensure-chromium: apt-get could not install chromium; the browser test will say so" >&2
    exit 0
fi
echo "ensure-chromium: installed $(find_chromium || echo '(but no chromium binary is on the PATH)')"
