package io.edgerag.store.local;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Passage text as the SQLite file holds it: as is, or sealed with AES-GCM (the JDK's provider) under a key
 * from a file (a Kubernetes Secret). A sealed value is {@value #PREFIX} + base64(12-byte random nonce ||
 * ciphertext || 16-byte tag), so rows written before encryption was turned on stay readable as plaintext.
 * The tag makes a wrong key or a tampered row fail loudly instead of reading as garbage.
 */
public abstract sealed class TextCipher {

    static final String PREFIX = "gcm1:";

    /** Text stored as is (the default). */
    public static final TextCipher NONE = new Plain();

    private TextCipher() {
    }

    /**
     * The key in {@code keyFile}: base64 of 16, 24 or 32 random bytes ({@code openssl rand -base64 32}).
     *
     * @throws IllegalStateException when the file cannot be read or does not hold such a key
     */
    public static TextCipher fromKeyFile(Path keyFile) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the store encryption key file " + keyFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the store encryption key file " + keyFile
                    + " must hold a base64 AES key (openssl rand -base64 32), not " + e.getMessage(), e);
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalStateException("the store encryption key in " + keyFile + " has " + key.length
                    + " bytes; AES needs 16, 24 or 32 (openssl rand -base64 32)");
        }
        return new AesGcm(key);
    }

    public abstract boolean encrypts();

    /** The form to store; null stays null. */
    public abstract String seal(String text);

    /**
     * The text of a stored value; null stays null, a value written as plaintext is returned as is.
     *
     * @throws WrongKeyException when the value was sealed under another key (or altered)
     */
    public abstract String open(String stored);

    /** A sealed value that this key cannot open. */
    public static final class WrongKeyException extends IllegalStateException {
        WrongKeyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final class Plain extends TextCipher {
        @Override
        public boolean encrypts() {
            return false;
        }

        @Override
        public String seal(String text) {
            return text;
        }

        @Override
        public String open(String stored) {
            if (stored != null && stored.startsWith(PREFIX)) {
                throw new WrongKeyException("passage text in this store is encrypted: set edgerag.store.encryption.key-file", null);
            }
            return stored;
        }
    }

    private static final class AesGcm extends TextCipher {
        private static final int NONCE_BYTES = 12;
        private static final int TAG_BITS = 128;
        private static final SecureRandom RANDOM = new SecureRandom();

        private final SecretKeySpec key;

        AesGcm(byte[] key) {
            this.key = new SecretKeySpec(key, "AES");
        }

        @Override
        public boolean encrypts() {
            return true;
        }

        @Override
        public String seal(String text) {
            if (text == null) {
                return null;
            }
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
                byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
                byte[] out = new byte[NONCE_BYTES + sealed.length];
                System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
                System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
                return PREFIX + Base64.getEncoder().encodeToString(out);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM is not available in this JDK", e);
            }
        }

        @Override
        public String open(String stored) {
            if (stored == null || !stored.startsWith(PREFIX)) {
                return stored;
            }
            byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
                return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
            } catch (AEADBadTagException e) {
                throw new WrongKeyException("passage text cannot be decrypted with the key of "
                        + "edgerag.store.encryption.key-file: another key wrote it (or the row was altered)", e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM is not available in this JDK", e);
            }
        }
    }
}
