# mail.sh: `opsbook mail` end to end. The message is read back with Python's
# standard email package (tests/tools/mail_check.py: structure, headers,
# encoded-words, cids, base64 and quoted-printable lines, CRLF, the
# attachment byte for byte, the numbers of `opsbook kpi --json`), rebuilt
# byte for byte, and delivered to a real SMTP server on 127.0.0.1
# (tests/tools/mail_smtpd.py on Debian's python3-aiosmtpd) that offers
# STARTTLS with a certificate made here and requires AUTH; what arrives is
# compared with the .eml. Then every way delivery fails: nothing listening,
# no TLS (refused unless --insecure-smtp), an untrusted certificate, a
# rejected recipient, refused credentials, no login, a silent server; and
# a libcurl.so.4 that does not load (it is loaded only to send).
# SPDX-License-Identifier: MIT
CASE=mail
PY=/usr/bin/python3 # Debian's: aiosmtpd is a Debian package here
CHK=$TESTS/tools/mail_check.py
SMTPD=$TESTS/tools/mail_smtpd.py
PASSWORD=s3cret-Pa55
SMTPD_PIDS=""

# mail_site LANG: the fixture (tests/sites/mail on the dashboards data),
# built at ASOF; in French with LANG fr. Prints its folder.
mail_site() {
    d=$(mktemp -d "$TMPROOT/mail.XXXXXX")
    cp -R "$TESTS/golden/dashboards/site/data" "$d/"
    mkdir "$d/content"
    printf '# Home\n' >"$d/content/index.md"
    if [ "$1" = fr ]; then
        sed -e 's/language: en/language: fr/' \
            -e 's/title: Leadership report/title: "Rapport de la direction — été \/ automne"/' \
            -e 's/^  from: .*/  from: "Équipe Produit, Opérations <produit@example.fr>"/' \
            -e 's/^  to: .*/  to: ["Directrice Générale des Opérations et de la Stratégie <dg@example.fr>", direction@example.fr]/' \
            -e 's/subject: .*/subject: "Indicateurs produit et OKR — {{as_of}} — synthèse pour la direction générale"/' \
            "$TESTS/sites/mail/opsbook.yaml" >"$d/opsbook.yaml"
    else
        cp "$TESTS/sites/mail/opsbook.yaml" "$d/"
    fi
    "$OPSBOOK" -C "$d" build -q --as-of "$ASOF" >/dev/null 2>&1 ||
        echo "FAIL $CASE: the fixture does not build" >&2
    echo "$d"
}

# expect FILE key=value...: an EXPECT object for mail_check.py.
expect() {
    f=$1
    shift
    python3 - "$f" "$@" <<'EOF'
import json, sys
out = {}
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    out[k] = json.loads(v) if v and v[0] in "[{" or v in ("true", "false") else v
json.dump(out, open(sys.argv[1], "w"))
EOF
}

# mail_check NAME EML EXPECT: counts one check per line the checker prints.
mail_check() {
    python3 "$CHK" "$2" "$3" >"$TMPROOT/check.out" 2>&1
    [ -s "$TMPROOT/check.out" ] || fail "$1: the checker printed nothing"
    while IFS= read -r line; do
        case $line in
        "ok "*) pass "$1: ${line#ok }" ;;
        "FAIL "*) fail "$1: ${line#FAIL }" ;;
        *) fail "$1: $line" ;;
        esac
    done <"$TMPROOT/check.out"
}

# run_mail SITE ARGS...: `opsbook mail` at ASOF; status in $rc, stderr in
# $TMPROOT/err.
run_mail() {
    s=$1
    shift
    "$OPSBOOK" -C "$s" mail --as-of "$ASOF" "$@" >"$TMPROOT/out" 2>"$TMPROOT/err"
    rc=$?
}

# expect_fail NAME STATUS MESSAGE: the last run_mail failed so, saying so,
# and without printing the password.
expect_fail() {
    if [ "$rc" -eq "$2" ] && grep -qF -- "$3" "$TMPROOT/err"; then
        pass "$1"
    else
        fail "$1: status $rc, expected $2 and '$3'"
        sed 's/^/  /' "$TMPROOT/err"
    fi
    if grep -qF -- "$PASSWORD" "$TMPROOT/err" "$TMPROOT/out"; then
        fail "$1: the password was printed"
    fi
}

# start_smtpd DIR MODE [ARGS...]: the test server, on a port of its own
# choosing (port 0), read back from DIR/port. Sets $port.
start_smtpd() {
    dir=$1
    shift
    mkdir -p "$dir"
    rm -f "$dir/port"
    "$PY" "$SMTPD" "$@" "$dir" --cert "$CERT" --key "$KEY" \
        --user ops --password "$PASSWORD" >"$dir/log" 2>&1 &
    SMTPD_PIDS="$SMTPD_PIDS $!"
    i=0
    while [ ! -f "$dir/port" ] && [ $i -lt 200 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    port=$(cat "$dir/port" 2>/dev/null)
    [ -n "$port" ] || {
        fail "the SMTP test server did not start"
        sed 's/^/  /' "$dir/log"
    }
}

stop_smtpds() {
    for p in $SMTPD_PIDS; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    SMTPD_PIDS=""
}
trap stop_smtpds EXIT

# arrived NAME DIR N EML: message N reached the server as the .eml says.
arrived() {
    if [ -f "$2/msg-$3.eml" ] && cmp -s "$2/msg-$3.eml" "$4"; then
        pass "$1: what arrived is the .eml, byte for byte"
    else
        fail "$1: what arrived differs from the .eml (or nothing did)"
        sed 's/^/  /' "$2/log" 2>/dev/null | tail -n 5
    fi
}

# ---------------------------------------------------------------- the message
site=$(mail_site en)
eml=$site/public/reports/leadership.eml
"$OPSBOOK" -C "$site" kpi --json --as-of "$ASOF" >"$TMPROOT/kpis.json"
"$OPSBOOK" -C "$site" okrs --json --as-of "$ASOF" >"$TMPROOT/okrs.json"
run_mail "$site" --report leadership
check "mail writes the .eml" test "$rc" -eq 0 -a -s "$eml"
check "nothing printed on success" test ! -s "$TMPROOT/err" -a ! -s "$TMPROOT/out"
expect "$TMPROOT/en.json" xlsx="$site/public/reports/leadership.xlsx" \
    filename="Leadership report 2026-11-20.xlsx" \
    subject="Product KPIs and OKRs — Nov 20, 2026" \
    from="Product Ops <product-ops@example.com>" \
    to='["leadership@example.com", "ceo@example.com"]' \
    date="Fri, 20 Nov 2026 23:59:59 +0100" lang=en images=true \
    kpis="$TMPROOT/kpis.json" \
    report_kpis='["wau", "pro_share", "feedback", "tickets"]' \
    okrs="$TMPROOT/okrs.json" quarters='["2026-Q4"]' \
    site="https://handbook.example.com/ops/" \
    words='["Key results off track", "day 51 of 92, 55% expected",
            "Weekly tickets down from 20 to 10",
            "https://handbook.example.com/ops/kpis/wau/",
            "https://handbook.example.com/ops/okrs/2026-Q4/",
            "Target 75: Near target", "on the previous period (better)",
            "Sent by opsbook for Acme & Co"]'
mail_check "en" "$eml" "$TMPROOT/en.json"
check "the KPI the report leaves out is not in the email" \
    sh -c "! grep -q 'kpis/events/' '$eml'"
check "an HTML title is escaped, never markup" python3 -c '
import email, sys
from email import policy
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=policy.default)
h = m.get_body(("html",)).get_content()
sys.exit(0 if "Tickets &lt;opened&gt; &amp; &quot;closed&quot;" in h and
         "<opened>" not in h else 1)' "$eml"

# The build itself writes the email beside the workbook (the site's
# reports page links it): the same bytes `opsbook mail` writes after it.
cp "$eml" "$TMPROOT/by-mail.eml"
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" >/dev/null 2>&1
check "the build writes the .eml too" cmp -s "$eml" "$TMPROOT/by-mail.eml"
check "the reports page links the .eml" grep -q \
    'class="report-email" href="leadership.eml"' \
    "$site/public/reports/index.html"

# The same inputs give the same bytes: boundaries, ids and the Date come
# from the content and as_of, never the clock or chance.
cp "$eml" "$TMPROOT/first.eml"
sleep 1
run_mail "$site" --report leadership -j1
check "rebuilt byte for byte" cmp -s "$eml" "$TMPROOT/first.eml"
check "no temporary file left beside it" \
    test -z "$(ls -A "$site/public/reports" | grep '^\.')"

# --out: the OUT a build wrote elsewhere (the same workbook, byte for byte).
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" --out "$TMPROOT/other-out" \
    >/dev/null 2>&1
run_mail "$site" --report leadership --out "$TMPROOT/other-out"
check "--out: the .eml goes beside that OUT's workbook" \
    cmp -s "$TMPROOT/other-out/reports/leadership.eml" "$eml"

# --to replaces mail.to: repeated, and comma lists with quoted commas.
run_mail "$site" --report leadership --to 'x@example.com, "Doe, Y" <y@example.com>' \
    --to z@example.com
expect "$TMPROOT/to.json" xlsx="$site/public/reports/leadership.xlsx" \
    filename="Leadership report 2026-11-20.xlsx" \
    subject="Product KPIs and OKRs — Nov 20, 2026" \
    from="Product Ops <product-ops@example.com>" \
    to='["x@example.com", "y@example.com", "z@example.com"]' \
    date="Fri, 20 Nov 2026 23:59:59 +0100" lang=en images=true
mail_check "--to" "$eml" "$TMPROOT/to.json"
check "--to: the quoted name keeps its comma" \
    grep -q '^To: x@example.com, "Doe, Y" <y@example.com>,' "$eml"
check "another message, another Message-ID" \
    sh -c "! cmp -s '$eml' '$TMPROOT/first.eml'"
cp "$TMPROOT/first.eml" "$eml"

# A report without KPIs: no pictures, so no multipart/related.
run_mail "$site" --report okrs-only
expect "$TMPROOT/okrs-only.json" xlsx="$site/public/reports/okrs-only.xlsx" \
    filename="OKRs only 2026-11-20.xlsx" \
    subject="Product KPIs and OKRs — Nov 20, 2026" \
    from="Product Ops <product-ops@example.com>" \
    to='["leadership@example.com", "ceo@example.com"]' \
    date="Fri, 20 Nov 2026 23:59:59 +0100" lang=en images=false \
    okrs="$TMPROOT/okrs.json" quarters='["2026-Q3"]' \
    site="https://handbook.example.com/ops/" \
    words='["OKRs 2026-Q3", "Key results graded red"]'
mail_check "okrs-only" "$site/public/reports/okrs-only.eml" "$TMPROOT/okrs-only.json"

# A relative base_url (the site opened from disk, or any sub-path): links
# would lead nowhere from an email, so there are none.
rel=$(mktemp -d "$TMPROOT/mail.XXXXXX")
cp -R "$site/data" "$site/content" "$rel/"
sed 's|^  base_url: .*|  base_url: ""|' "$TESTS/sites/mail/opsbook.yaml" >"$rel/opsbook.yaml"
"$OPSBOOK" -C "$rel" build -q --as-of "$ASOF" >/dev/null 2>&1
run_mail "$rel" --report leadership
check "relative base_url: mail writes the .eml" test "$rc" -eq 0
expect "$TMPROOT/rel.json" xlsx="$rel/public/reports/leadership.xlsx" \
    filename="Leadership report 2026-11-20.xlsx" \
    subject="Product KPIs and OKRs — Nov 20, 2026" \
    from="Product Ops <product-ops@example.com>" \
    to='["leadership@example.com", "ceo@example.com"]' \
    date="Fri, 20 Nov 2026 23:59:59 +0100" lang=en images=true \
    report_kpis='["wau", "pro_share", "feedback", "tickets"]' \
    okrs="$TMPROOT/okrs.json" quarters='["2026-Q4"]' site=""
mail_check "relative base_url" "$rel/public/reports/leadership.eml" "$TMPROOT/rel.json"

# ---------------------------------------------------------------- in French
fr=$(mail_site fr)
"$OPSBOOK" -C "$fr" kpi --json --as-of "$ASOF" >"$TMPROOT/kpis-fr.json"
run_mail "$fr" --report leadership
check "French: mail writes the .eml" test "$rc" -eq 0
expect "$TMPROOT/fr.json" xlsx="$fr/public/reports/leadership.xlsx" \
    filename="Rapport de la direction — été - automne 2026-11-20.xlsx" \
    subject="Indicateurs produit et OKR — 20 nov. 2026 — synthèse pour la direction générale" \
    from='"Équipe Produit, Opérations" <produit@example.fr>' \
    to='["dg@example.fr", "direction@example.fr"]' \
    date="Fri, 20 Nov 2026 23:59:59 +0100" lang=fr images=true \
    kpis="$TMPROOT/kpis-fr.json" \
    report_kpis='["wau", "pro_share", "feedback", "tickets"]' \
    words='["Résultats clés en retard", "jour 51 sur 92, 55\u00a0% attendu",
            "par rapport à la période précédente (mieux)",
            "Objectif 75\u00a0: Proche de l’objectif",
            "Envoyé par opsbook pour Acme & Co"]'
mail_check "fr" "$fr/public/reports/leadership.eml" "$TMPROOT/fr.json"
check "French: the subject is encoded-words" \
    grep -q '^Subject: Indicateurs produit et OKR =?UTF-8?B?' \
    "$fr/public/reports/leadership.eml"
check "French: the display name decodes whole" python3 -c '
import email, sys
from email import policy
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=policy.default)
sys.exit(0 if m["To"].addresses[0].display_name ==
         "Directrice Générale des Opérations et de la Stratégie" else 1)' \
    "$fr/public/reports/leadership.eml"

# ---------------------------------------------------------------- refusals
run_mail "$site" --report leadership \
    --to "$(printf 'a@example.com\r\nBcc: spy@example.com')"
expect_fail "--to with a line break is refused" 2 \
    "opsbook: error: --to holds a line break: refused, since a line break in a mail header would start a header of its own"
check "the refused run left the .eml alone" cmp -s "$eml" "$TMPROOT/first.eml"
run_mail "$site" --report leadership --to 'not an address'
expect_fail "--to that is no address" 2 \
    "--to 'not an address' is not an email address"
run_mail "$site" --report leadership --to ''
expect_fail "--to naming nobody" 2 "--to names no address"
run_mail "$site" --report leadershp
expect_fail "an unknown report" 2 \
    "unknown report 'leadershp' (did you mean 'leadership'?)"
run_mail "$site"
expect_fail "--report is required" 2 "mail needs --report ID"
run_mail "$site" --report leadership --send http://127.0.0.1:25
expect_fail "--send takes smtp:// or smtps:// only" 2 \
    "--send expects smtp://HOST[:PORT] (STARTTLS) or smtps://HOST[:PORT] (TLS)"
run_mail "$site" --report leadership --send smtp://127.0.0.1:1 --no-send
expect_fail "--send and --no-send" 2 "--no-send and --send contradict"
nobook=$(mail_site en)
rm "$nobook/public/reports/leadership.xlsx" "$nobook/public/reports/leadership.eml"
run_mail "$nobook" --report leadership
expect_fail "no workbook: build first" 1 \
    "opsbook: error: no public/reports/leadership.xlsx: run 'opsbook build' first"
check "no workbook: no .eml" test ! -e "$nobook/public/reports/leadership.eml"

# ---------------------------------------------------------------- libcurl
# libcurl is loaded only when a message is sent (start-up time). A
# libcurl.so.4 that does not load (a file that is no library, found first
# through LD_LIBRARY_PATH) leaves other runs alone, and makes sending fail
# with words that name the package.
nocurl=$TMPROOT/no-libcurl
mkdir -p "$nocurl"
echo 'not a library' >"$nocurl/libcurl.so.4"
LD_LIBRARY_PATH=$nocurl run_mail "$site" --report leadership
check "without libcurl: mail writes the .eml" test "$rc" -eq 0
check "without libcurl: the same .eml" cmp -s "$eml" "$TMPROOT/first.eml"
LD_LIBRARY_PATH=$nocurl run_mail "$site" --report leadership \
    --send smtp://127.0.0.1:1 --timeout 20
expect_fail "without libcurl: sending fails" 3 \
    "opsbook: error: cannot load libcurl ($nocurl/libcurl.so.4: "
check "without libcurl: the message names the package" \
    grep -qx "opsbook: error: cannot load libcurl (.*): install Debian's libcurl4" \
    "$TMPROOT/err"
check "without libcurl: the .eml is written all the same" \
    cmp -s "$eml" "$TMPROOT/first.eml"
# A library by that name that lacks libcurl's functions.
mkdir -p "$TMPROOT/fake-libcurl"
if echo 'int curl_global_init(long f) { return (int)f; }' |
    cc -shared -fPIC -o "$TMPROOT/fake-libcurl/libcurl.so.4" -x c - 2>/dev/null; then
    LD_LIBRARY_PATH=$TMPROOT/fake-libcurl run_mail "$site" \
        --report leadership --send smtp://127.0.0.1:1 --timeout 20
    expect_fail "a libcurl.so.4 without curl_global_cleanup" 3 \
        "undefined symbol: curl_global_cleanup): install Debian's libcurl4"
else
    fail "cannot build a fake libcurl.so.4 (no C compiler?)"
fi

# ---------------------------------------------------------------- delivery
CERT=$TMPROOT/smtp-cert.pem
KEY=$TMPROOT/smtp-key.pem
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -days 2 -subj /CN=localhost \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$KEY" -out "$CERT" >/dev/null 2>&1
check "a test certificate" test -s "$CERT"
# What the user's environment says about CAs must not leak into the tests.
unset SSL_CERT_FILE CURL_CA_BUNDLE SMTP_USER SMTP_PASSWORD

# STARTTLS, required; AUTH, required once TLS is on.
srv=$TMPROOT/smtp-starttls
start_smtpd "$srv" starttls
SMTP_USER=ops SMTP_PASSWORD=$PASSWORD run_mail "$site" --report leadership \
    --send "smtp://127.0.0.1:$port" --cacert "$CERT" --timeout 20
check "STARTTLS + AUTH: delivered" test "$rc" -eq 0
arrived "STARTTLS + AUTH" "$srv" 1 "$eml"
check "STARTTLS + AUTH: the envelope" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
sys.exit(0 if m == {"mail_from": "product-ops@example.com",
                    "rcpt_tos": ["leadership@example.com", "ceo@example.com"],
                    "login": "ops", "tls": True} else 1)' "$srv/msg-1.json"
check "the sent .eml is the one written without sending" \
    cmp -s "$eml" "$TMPROOT/first.eml"

# The CA from the environment, as curl's own tool reads it.
SSL_CERT_FILE=$CERT SMTP_USER=ops SMTP_PASSWORD=$PASSWORD run_mail "$site" \
    --report leadership --send "smtp://127.0.0.1:$port" --timeout 20
check "SSL_CERT_FILE names the CA" test "$rc" -eq 0
arrived "SSL_CERT_FILE" "$srv" 2 "$eml"

# A relative --cacert is read from where the command was run, not -C.
(cd "$TMPROOT" && SMTP_USER=ops SMTP_PASSWORD=$PASSWORD "$OPSBOOK" -C "$site" \
    mail --as-of "$ASOF" --report leadership --send "smtp://127.0.0.1:$port" \
    --cacert "$(basename "$CERT")" --timeout 20) >"$TMPROOT/out" 2>&1
check "a relative --cacert" test $? -eq 0
arrived "a relative --cacert" "$srv" 3 "$eml"

# mail.smtp when --send is not given; --no-send keeps it from sending.
cp "$site/opsbook.yaml" "$TMPROOT/opsbook.yaml.orig"
printf '  smtp: smtp://127.0.0.1:%s\n' "$port" >>"$site/opsbook.yaml"
SMTP_USER=ops SMTP_PASSWORD=$PASSWORD run_mail "$site" --report leadership \
    --cacert "$CERT" --timeout 20
check "mail.smtp: delivered" test "$rc" -eq 0
arrived "mail.smtp" "$srv" 4 "$eml"
SMTP_USER=ops SMTP_PASSWORD=$PASSWORD run_mail "$site" --report leadership \
    --cacert "$CERT" --no-send
check "--no-send: written, not sent" test "$rc" -eq 0 -a ! -e "$srv/msg-5.eml"
cp "$TMPROOT/opsbook.yaml.orig" "$site/opsbook.yaml"

SMTP_USER=ops SMTP_PASSWORD=wr0ng-$PASSWORD run_mail "$site" \
    --report leadership --send "smtp://127.0.0.1:$port" --cacert "$CERT" \
    --timeout 20
expect_fail "credentials refused" 3 \
    "opsbook: error: the SMTP server 127.0.0.1:$port refused the login of SMTP_USER 'ops': 535"
run_mail "$site" --report leadership --send "smtp://127.0.0.1:$port" \
    --cacert "$CERT" --timeout 20
expect_fail "no login where one is required" 3 \
    "refused the sender 'product-ops@example.com': 530 5.7.0 Authentication required (set SMTP_USER and SMTP_PASSWORD to log in)"
SMTP_USER=ops SMTP_PASSWORD=$PASSWORD run_mail "$site" --report leadership \
    --send "smtp://127.0.0.1:$port" --timeout 20
expect_fail "an untrusted certificate" 3 \
    "opsbook: error: the SMTP server 127.0.0.1:$port has a certificate that is not trusted: SSL certificate problem: self-signed certificate (--cacert FILE names the authority to trust)"
SMTP_USER=ops SMTP_PASSWORD=$PASSWORD run_mail "$site" --report leadership \
    --send "smtp://127.0.0.1:$port" --cacert "$TMPROOT/no-such-ca.pem"
expect_fail "a CA file that is not there" 3 \
    "cannot read the CA file '$TMPROOT/no-such-ca.pem'"
check "nothing more arrived" test ! -e "$srv/msg-5.eml"

# A recipient the server refuses: nothing is sent to anyone.
srv=$TMPROOT/smtp-reject
start_smtpd "$srv" starttls --reject nobody@example.com
SMTP_USER=ops SMTP_PASSWORD=$PASSWORD run_mail "$site" --report leadership \
    --to "leadership@example.com, nobody@example.com" \
    --send "smtp://127.0.0.1:$port" --cacert "$CERT" --timeout 20
expect_fail "a recipient refused" 3 \
    "opsbook: error: the SMTP server 127.0.0.1:$port refused the recipient 'nobody@example.com': 550 5.1.1 <nobody@example.com>: Recipient address rejected"
check "a recipient refused: nothing arrived" test ! -e "$srv/msg-1.eml"

# Implicit TLS (smtps).
srv=$TMPROOT/smtp-smtps
start_smtpd "$srv" smtps
SMTP_USER=ops SMTP_PASSWORD=$PASSWORD run_mail "$site" --report leadership \
    --send "smtps://127.0.0.1:$port" --cacert "$CERT" --timeout 20
check "smtps: delivered" test "$rc" -eq 0
arrived "smtps" "$srv" 1 "$eml"

# A server without TLS: refused unless --insecure-smtp.
srv=$TMPROOT/smtp-plain
start_smtpd "$srv" plain
run_mail "$site" --report leadership --send "smtp://127.0.0.1:$port" \
    --timeout 20
expect_fail "no TLS: refused" 3 \
    "opsbook: error: the SMTP server 127.0.0.1:$port does not offer STARTTLS: refusing to send the report unencrypted (--insecure-smtp allows it)"
check "no TLS: nothing arrived" test ! -e "$srv/msg-1.eml"
check "no TLS: the .eml is written all the same" cmp -s "$eml" "$TMPROOT/first.eml"
run_mail "$site" --report leadership --send "smtp://127.0.0.1:$port" \
    --insecure-smtp --timeout 20
check "no TLS with --insecure-smtp: delivered" test "$rc" -eq 0
arrived "--insecure-smtp" "$srv" 1 "$eml"
check "--insecure-smtp: it went in clear text" grep -q '"tls": false' \
    "$srv/msg-1.json"

# A server that accepts the connection and never speaks: --timeout.
srv=$TMPROOT/smtp-silent
start_smtpd "$srv" silent
run_mail "$site" --report leadership --send "smtp://127.0.0.1:$port" \
    --timeout 2
expect_fail "a silent server times out" 3 \
    "the SMTP server 127.0.0.1:$port did not answer in time (2 s; --timeout changes it)"
stop_smtpds

# Nothing listening: a port just freed.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
run_mail "$site" --report leadership --send "smtp://127.0.0.1:$port" \
    --timeout 20
expect_fail "nothing listening" 3 \
    "opsbook: error: cannot connect to the SMTP server 127.0.0.1:$port:"

# libcurl, once loaded, stays until the process ends: unloading it (and the
# libraries it brought, some with thread-local storage) made
# LeakSanitizer's check at exit crash in about one `make asan` run of five.
LD_DEBUG=files "$OPSBOOK" -C "$site" mail --as-of "$ASOF" --report leadership \
    --send "smtp://127.0.0.1:$port" --timeout 20 >/dev/null 2>"$TMPROOT/ld"
check "libcurl was loaded to send" grep -q "file=libcurl.so.4 .*dynamically loaded" "$TMPROOT/ld"
check "libcurl is never unloaded" sh -c "! grep -q 'libcurl.so.4 .*destroying link map' '$TMPROOT/ld'"

report
