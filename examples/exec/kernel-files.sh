#!/bin/sh
# Example exec collector for `vigil agent`: prints Prometheus text on stdout.
# Kernel entropy and file-handle use, read from /proc/sys (Linux).
# Config: exec: [{ name: kernel-files, command: [./examples/exec/kernel-files.sh] }]
set -eu

echo '# HELP kernel_entropy_available_bits Entropy available to /dev/random, in bits.'
echo '# TYPE kernel_entropy_available_bits gauge'
echo "kernel_entropy_available_bits $(cat /proc/sys/kernel/random/entropy_avail)"

# dash's `read` gets confused by procfs files, so split the text with `set --` instead.
# shellcheck disable=SC2046
set -- $(cat /proc/sys/fs/file-nr)
allocated=$1 unused=$2 max=$3
echo '# HELP kernel_file_handles Open file handles of the whole system.'
echo '# TYPE kernel_file_handles gauge'
echo "kernel_file_handles{state=\"allocated\"} $allocated"
echo "kernel_file_handles{state=\"unused\"} $unused"
echo "kernel_file_handles{state=\"max\"} $max"
