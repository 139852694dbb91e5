// Proof of work for a login while the portal is busy (see crates/app/src/challenge.rs).
// Finds a nonce such that SHA-256(seed ":" nonce) starts with `bits` zero bits, in short slices
// so the page stays responsive, while the person types. The form works without this script:
// its attempt then waits in the ordinary queue.
(function () {
  "use strict";
  var form = document.querySelector("form[data-pow-seed]");
  if (!form) { return; }
  var seed = form.getAttribute("data-pow-seed") || "";
  var bits = parseInt(form.getAttribute("data-pow-bits") || "0", 10);
  var field = form.querySelector("input[name=pow_nonce]");
  var status = document.getElementById("pow_status");
  if (!field || !(bits > 0) || seed.length > 40) { return; }

  // SHA-256 round constants and initial state (FIPS 180-4, 4.2.2 and 5.3.3).
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  var w = new Int32Array(64);
  var msg = new Uint8Array(64);
  var prefix = seed + ":";
  for (var i = 0; i < prefix.length; i++) { msg[i] = prefix.charCodeAt(i) & 0xff; }

  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

  // The first 32 bits of SHA-256 of `prefix` followed by the decimal digits of `n` (one
  // block: the message is at most 55 bytes).
  function firstWord(n) {
    var digits = String(n);
    var len = prefix.length + digits.length;
    var j;
    for (j = 0; j < digits.length; j++) { msg[prefix.length + j] = digits.charCodeAt(j); }
    msg[len] = 0x80;
    for (j = len + 1; j < 60; j++) { msg[j] = 0; }
    var bitLen = len * 8;
    msg[60] = (bitLen >>> 24) & 0xff; msg[61] = (bitLen >>> 16) & 0xff;
    msg[62] = (bitLen >>> 8) & 0xff; msg[63] = bitLen & 0xff;
    for (j = 0; j < 16; j++) {
      w[j] = (msg[4 * j] << 24) | (msg[4 * j + 1] << 16) | (msg[4 * j + 2] << 8) | msg[4 * j + 3];
    }
    for (j = 16; j < 64; j++) {
      var x = w[j - 15], y = w[j - 2];
      var s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
      var s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
      w[j] = (w[j - 16] + s0 + w[j - 7] + s1) | 0;
    }
    var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
    for (j = 0; j < 64; j++) {
      var t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[j] + w[j]) | 0;
      var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    return (H[0] + a) | 0;
  }

  var nonce = 0;
  var solved = false;
  var waiting = false;
  var started = Date.now();

  function step() {
    var end = nonce + 20000;
    for (; nonce < end; nonce++) {
      if (Math.clz32(firstWord(nonce)) >= bits) {
        field.value = String(nonce);
        solved = true;
        if (waiting) { form.submit(); }
        return;
      }
    }
    // Give up after a minute on a very slow device: the form still works without a proof.
    if (Date.now() - started > 60000) {
      if (waiting) { form.submit(); }
      return;
    }
    setTimeout(step, 0);
  }

  // A person who is faster than the script waits a moment (at most a few seconds).
  form.addEventListener("submit", function (event) {
    if (solved || waiting) { return; }
    event.preventDefault();
    waiting = true;
    if (status) { status.textContent = status.getAttribute("data-waiting") || ""; }
    setTimeout(function () { if (!solved) { form.submit(); } }, 8000);
  });

  setTimeout(step, 0);
})();
