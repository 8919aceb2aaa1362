#!/bin/bash
# The man pages render: man -l formats each (man-db and groff, from scripts/install-deps)
# and the sections a reader looks for are there.
# Usage: man_pages.sh CROWD.1.gz CROWD-EMULATOR.1.gz
set -u
work=$(mktemp -d)
# shellcheck source=../support/checks.sh
. "$(dirname "$0")/../support/checks.sh"
trap 'rm -rf "$work"' EXIT
crowd_page=$1
emulator_page=$2
# man-db filters through a seccomp sandbox that some containers refuse; plain text, no pager.
export MAN_DISABLE_SECCOMP=1 MANWIDTH=100 MANPAGER=cat PAGER=cat

run 0 "man -l crowd.1" -- man -l "$crowd_page"
has out "^CROWD\(1\) +User Commands" "the page's header"
has out "^NAME" "NAME"
has out "crowd - the Amazon Mechanical Turk crowd API from a shell" "the NAME line"
has out "^SYNOPSIS" "SYNOPSIS, from the usage line"
has out "--endpoint-url,--endpoint URL" "an option with its aws CLI alias"
has out "^COMMANDS" "the commands' section"
has out "^ +crowd batch$" "a command's own help"
has out "^SEE ALSO" "SEE ALSO"
lacks err "." "no warning from groff"
run 0 "man -l crowd-emulator.1" -- man -l "$emulator_page"
has out "crowd-emulator - the Amazon Mechanical Turk crowd API on a local port" "the emulator's NAME line"
has out "--complete-after MS" "the emulator's options"
has out "^mturk-crowd-cpp [0-9]+\.[0-9]+\.[0-9]+ " "the version in the footer"
finish "man pages"
