#!/bin/sh
# hardened-cdktf fastsynth kernel launcher. jsii-runtime-go runs it as
# JSII_NODE with one argument, the jsii runtime's entry point
# .../bin/jsii-runtime.js, which would start the kernel (.../lib/program.js)
# as a second Node process and relay every request between its stdin/stdout
# and the kernel's fd 3. This script starts the kernel directly instead, with
# the requests on fd 3 (a copy of stdin) and the responses on fd 4 (a copy of
# stdout); the preload script maps the kernel's fd 3 writes to fd 4 and wraps
# its console output the way the relay did. If the runtime does not look as
# expected, it runs the entry point unchanged (correct, a little slower).
node="${HARDENED_CDKTF_FASTSYNTH_NODE:-node}"
preload=@PRELOAD@
# HARDENED_CDKTF_FASTSYNTH=off (set in a child of a program that enabled fast
# synth) means the standard way, silently.
case "$(printf '%s' "${HARDENED_CDKTF_FASTSYNTH:-}" | tr 'A-Z' 'a-z' | tr -d ' \t')" in
off | 0 | false | no) exec "$node" "$@" ;;
esac
if [ "$#" -eq 1 ]; then
	case "$1" in
	*/bin/jsii-runtime.js)
		program="${1%/bin/jsii-runtime.js}/lib/program.js"
		if [ -f "$program" ] && [ -f "$preload" ] && grep -q 'readFD:3,writeFD:3' "$program"; then
			HARDENED_CDKTF_FASTSYNTH_DIRECT=1
			export HARDENED_CDKTF_FASTSYNTH_DIRECT
			exec "$node" --preserve-symlinks --require "$preload" "$program" 3<&0 0</dev/null 4>&1 1>&2
		fi
		;;
	esac
fi
echo "hardened-cdktf fastsynth: the jsii runtime ($*) does not have the expected layout; starting it the standard way (correct, a little slower)" >&2
exec "$node" "$@"
