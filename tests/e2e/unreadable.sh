# unreadable.sh: a content file the OS refuses to read is an environment
# failure (exit 3) naming the file, and OUT stays as it was.
# SPDX-License-Identifier: MIT
CASE=unreadable

site=$(fresh_site "$TESTS/golden/basic/site")
(cd "$site" && "$OPSBOOK" build -q --as-of $ASOF)
before=$(tree_sum "$site/public")
chmod 000 "$site/content/process/feedback-triage.md"
# root reads anything: drop to nobody for the run (the tree must let it in).
run=""
if [ "$(id -u)" -eq 0 ]; then
    chmod -R a+rwX "$TMPROOT" 2>/dev/null
    chmod 000 "$site/content/process/feedback-triage.md"
    chmod a+x "$TMPROOT"
    run="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
(cd "$site" && $run "$OPSBOOK" build --as-of $ASOF) 2>"$TMPROOT/err"
status=$?
check "an unreadable page exits 3" test "$status" -eq 3
check "the message names the file" grep -qx "content/process/feedback-triage.md: error: cannot read 'content/process/feedback-triage.md': Permission denied" "$TMPROOT/err"
check "the previous OUT is untouched" test "$before" = "$(tree_sum "$site/public")"
check "no temporary folder left" sh -c "! ls -A '$site' | grep -q tmp"
chmod 644 "$site/content/process/feedback-triage.md"

report
