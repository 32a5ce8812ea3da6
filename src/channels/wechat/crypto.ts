/**
 * WXBizMsgCrypt, the AES scheme of safe/compatible mode:
 * key = base64(EncodingAESKey + '='), AES-256-CBC, IV = key[0..16], PKCS#7 to a multiple of 32 bytes,
 * plaintext = 16 random bytes ‖ 4-byte big-endian length ‖ message (UTF-8) ‖ appid.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { msgSignature } from './signature.ts';
import { buildMessageXml } from './xml.ts';

export type CryptoErrorCode = 'bad_base64' | 'bad_padding' | 'bad_length' | 'appid_mismatch';

/** A ciphertext that does not decrypt to a message for this account. Never carries key material. */
export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  readonly code: CryptoErrorCode;
  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Which EncodingAESKey opened a message. */
export type KeyUsed = 'current' | 'previous';

export interface MessageCryptoOptions {
  /** The current EncodingAESKey (43 characters of A-Z, a-z, 0-9). */
  readonly aesKey: string;
  /** The key in use before the last rotation; tried when the current one fails. Empty = none. */
  readonly previousAesKey?: string | null;
  /** The account's AppID (`wx…`); the decrypted message must end with it. */
  readonly appId: string;
}

const BLOCK = 32;
const RANDOM_BYTES = 16;
const HEADER = RANDOM_BYTES + 4;
const AES_KEY = /^[A-Za-z0-9]{43}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** When every key fails, report the most telling failure (a wrong appid says more than bad padding). */
const SEVERITY: Record<CryptoErrorCode, number> = { bad_base64: 0, bad_padding: 1, bad_length: 2, appid_mismatch: 3 };

function parseKey(value: string, name: string): Buffer {
  if (!AES_KEY.test(value)) {
    throw new Error(
      `${name} must be exactly 43 characters of A-Z, a-z and 0-9 (got ${value.length} characters); ` +
        'copy the EncodingAESKey again from the WeChat console (Settings and Development → Basic Configuration).',
    );
  }
  return Buffer.from(`${value}=`, 'base64');
}

/**
 * Encrypts and decrypts safe-mode messages for one account, with key rotation on the decrypting side.
 * @example
 * const mc = new MessageCrypto({ aesKey, previousAesKey, appId });
 * const xml = mc.decrypt(fields.Encrypt); // after verifyMsgSignature(...)
 */
export class MessageCrypto {
  readonly #key: Buffer;
  readonly #previousKey: Buffer | null;
  readonly #appId: Buffer;

  constructor(options: MessageCryptoOptions) {
    this.#key = parseKey(options.aesKey, 'aesKey');
    this.#previousKey = options.previousAesKey ? parseKey(options.previousAesKey, 'previousAesKey') : null;
    if (!options.appId) throw new Error('appId is required to encrypt and decrypt (the AppID of the account, wx…)');
    this.#appId = Buffer.from(options.appId, 'utf8');
  }

  /**
   * Encrypts `message` with the current key (or, `withKey: 'previous'`, the previous one); returns base64.
   * `random` (16 bytes) is for deterministic tests.
   */
  encrypt(message: string, random: Buffer = randomBytes(RANDOM_BYTES), withKey: KeyUsed = 'current'): string {
    const key = withKey === 'previous' && this.#previousKey ? this.#previousKey : this.#key;
    if (random.length !== RANDOM_BYTES) throw new RangeError(`random must be ${RANDOM_BYTES} bytes, got ${random.length}`);
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const unpadded = Buffer.concat([random, length, body, this.#appId]);
    const pad = BLOCK - (unpadded.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([unpadded, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
      'base64',
    );
  }

  /**
   * Decrypts the base64 `<Encrypt>` value with the current key, then the previous one.
   * Throws `CryptoError` (bad_base64 | bad_padding | bad_length | appid_mismatch); never returns garbage.
   */
  decrypt(encrypted: string): string {
    return this.open(encrypted).message;
  }

  /**
   * Like `decrypt`, and says which key opened the message: during a rotation the platform still uses the
   * previous key until the console is switched, and expects replies under the key it used.
   */
  open(encrypted: string): { message: string; keyUsed: KeyUsed } {
    const data = typeof encrypted === 'string' && BASE64.test(encrypted) ? Buffer.from(encrypted, 'base64') : null;
    if (!data || data.length === 0 || data.length % 16 !== 0) {
      throw new CryptoError('bad_base64', 'Encrypt is not base64 of whole AES blocks (truncated or not a WeChat message)');
    }
    let failure: CryptoError | null = null;
    const keys: [Buffer, KeyUsed][] = [[this.#key, 'current']];
    if (this.#previousKey) keys.push([this.#previousKey, 'previous']);
    for (const [key, keyUsed] of keys) {
      try {
        return { message: this.#decryptWith(key, data), keyUsed };
      } catch (err) {
        if (!(err instanceof CryptoError)) throw err;
        if (!failure || SEVERITY[err.code] > SEVERITY[failure.code]) failure = err;
      }
    }
    throw failure ?? new CryptoError('bad_padding', 'could not decrypt');
  }

  /**
   * Encrypts a passive-reply XML and wraps it in the safe-mode envelope
   * `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`. `timestamp` is in seconds.
   */
  encryptReply(
    replyXml: string,
    token: string,
    timestamp: string,
    nonce: string,
    random?: Buffer,
    withKey: KeyUsed = 'current',
  ): string {
    if (!/^\d{1,10}$/.test(timestamp)) {
      throw new RangeError(`timestamp must be whole seconds since the epoch (got '${timestamp}')`);
    }
    const encrypt = this.encrypt(replyXml, random, withKey);
    return buildMessageXml({
      Encrypt: encrypt,
      MsgSignature: msgSignature(token, timestamp, nonce, encrypt),
      TimeStamp: Number(timestamp),
      Nonce: nonce,
    });
  }

  #decryptWith(key: Buffer, data: Buffer): string {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(data), decipher.final()]);
    const pad = plain[plain.length - 1] ?? 0;
    if (pad < 1 || pad > BLOCK || pad > plain.length || !plain.subarray(plain.length - pad).every((b) => b === pad)) {
      throw new CryptoError('bad_padding', 'bad padding after decryption: the EncodingAESKey does not match the console');
    }
    const content = plain.subarray(0, plain.length - pad);
    const length = content.length >= HEADER ? content.readUInt32BE(RANDOM_BYTES) : -1;
    if (length < 0 || HEADER + length > content.length) {
      throw new CryptoError('bad_length', 'the decrypted length field does not fit the message');
    }
    if (!content.subarray(HEADER + length).equals(this.#appId)) {
      throw new CryptoError('appid_mismatch', 'the message was encrypted for another AppID; check the configured appId');
    }
    return content.subarray(HEADER, HEADER + length).toString('utf8');
  }
}
