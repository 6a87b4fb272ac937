#!/usr/bin/env node
// An independent WXBizMsgCrypt (Tencent's @wecom/crypto package), used by the integration tests
// to encrypt requests exactly as WeChat would and to decrypt kayou's replies.
//   node wx.js encrypt <encodingAESKey> <receiveId> <token> <timestamp> <nonce>   (message on stdin)
//     -> {"encrypt": "...", "signature": "..."}
//   node wx.js decrypt <encodingAESKey> <token> <timestamp> <nonce> <signature>   (encrypt on stdin)
//     -> {"message": "...", "id": "...", "signature_ok": true}
'use strict';
const wecom = require('@wecom/crypto');

const [command, ...args] = process.argv.slice(2);
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  if (command === 'encrypt') {
    const [key, receiveId, token, timestamp, nonce] = args;
    const encrypt = wecom.encrypt(key, input, receiveId);
    const signature = wecom.getSignature(token, timestamp, nonce, encrypt);
    process.stdout.write(JSON.stringify({ encrypt, signature }));
  } else if (command === 'decrypt') {
    const [key, token, timestamp, nonce, signature] = args;
    const text = input.trim();
    const { message, id } = wecom.decrypt(key, text);
    const signatureOk = wecom.getSignature(token, timestamp, nonce, text) === signature;
    process.stdout.write(JSON.stringify({ message, id, signature_ok: signatureOk }));
  } else {
    process.stderr.write('usage: wx.js encrypt|decrypt ...\n');
    process.exit(2);
  }
});
