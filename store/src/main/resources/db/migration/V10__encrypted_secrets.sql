-- Secrets are stored encrypted from now on (AES-GCM, "v1:<key id>:<base64>", see SecretCipher).
-- The rows written before are marked as plain text, so no plain value can pass for a ciphertext;
-- each process re-encrypts the marked rows with its key when it starts (SecretReencryption).
UPDATE task_secrets SET value = 'plain:' || value;
UPDATE schedule_secrets SET value = 'plain:' || value;
