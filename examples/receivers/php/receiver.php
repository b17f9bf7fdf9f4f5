<?php
// A Shelf webhook receiver in PHP, standard library only, for PHP's built-in
// server (or any front controller):
//
//   SHELF_WEBHOOK_SECRET=whsec_... php -S 127.0.0.1:9000 receiver.php
//
// It verifies Shelf-Signature (HMAC-SHA256 of "t.body", hash_equals,
// 5-minute tolerance, the old and the new secret during a rotation), skips
// event ids it has already processed, and answers Shelf's self-test: 2xx to
// signed deliveries, 401 to forged or stale ones, 200 on GET (launch URL).

const TOLERANCE = 300; // seconds a signature's timestamp may be from now

function verify(string $header, string $body, array $secrets, int $now): bool
{
    $ts = null;
    $sigs = [];
    foreach (explode(',', $header) as $part) {
        $kv = explode('=', trim($part), 2);
        if (count($kv) !== 2) continue;
        if ($kv[0] === 't' && ctype_digit($kv[1])) $ts = (int) $kv[1];
        elseif ($kv[0] === 'v1') $sigs[] = $kv[1];
    }
    if ($ts === null || !$sigs || abs($now - $ts) > TOLERANCE) return false;
    foreach ($secrets as $secret) {
        $want = hash_hmac('sha256', $ts . '.' . $body, $secret);
        foreach ($sigs as $got) {
            if (hash_equals($want, $got)) return true;
        }
    }
    return false;
}

function answer(int $status, string $text): void
{
    http_response_code($status);
    header('Content-Type: text/plain');
    echo $text;
}

$secrets = array_values(array_filter([getenv('SHELF_WEBHOOK_SECRET') ?: '', getenv('SHELF_WEBHOOK_SECRET_OLD') ?: '']));
if ($_SERVER['REQUEST_METHOD'] === 'GET') {
    answer(200, 'ok');
    return;
}
$body = file_get_contents('php://input');
if (!$secrets || !verify($_SERVER['HTTP_SHELF_SIGNATURE'] ?? '', $body, $secrets, time())) {
    answer(401, 'bad signature');
    return;
}
$event = json_decode($body, true);
// Processed event ids: a file here, so that every request of the built-in
// server sees them; keep them in your database, with the effect.
$seenFile = sys_get_temp_dir() . '/shelf-receiver-' . md5($secrets[0]) . '.ids';
$fh = fopen($seenFile, 'c+');
flock($fh, LOCK_EX);
$seen = explode("\n", stream_get_contents($fh));
if (in_array($event['id'], $seen, true)) {
    flock($fh, LOCK_UN);
    answer(200, 'already processed');
    return;
}
fwrite($fh, $event['id'] . "\n");
flock($fh, LOCK_UN);
file_put_contents('php://stderr', "{$event['org_id']} #{$event['seq']} {$event['type']} {$event['id']}\n");
answer(200, 'ok');
