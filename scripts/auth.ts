// Manages the users and API tokens of an AUTH_FILE (see server/auth/config.ts):
//   npx tsx scripts/auth.ts hash-password                      password on stdin → hash on stdout
//   npx tsx scripts/auth.ts add-user <file> <username> <role> [--generate] [--replace]
//   npx tsx scripts/auth.ts add-token <file> <name> <role> [--replace]
//   npx tsx scripts/auth.ts remove-user <file> <username>
//   npx tsx scripts/auth.ts remove-token <file> <name>
//   npx tsx scripts/auth.ts list <file>
// Passwords are read from stdin (typed without echo on a terminal, or piped); --generate makes a
// random one and prints it. A token is printed once and only its hash is stored. The file is
// written with mode 0600. The server reads the file at start: restart it after a change.
import { randomBytes } from "node:crypto";
import { MAX_PASSWORD_LENGTH } from "@/lib/contracts/auth";
import { ROLES, roleSchema, type Role } from "@/lib/auth/roles";
import { AuthFileError, checkNewUser, loadAuthFile, saveAuthFile, withoutToken, withoutUser, withToken, withUser } from "@/server/auth/auth-file";
import { hashPassword } from "@/server/auth/passwords";
import { generateApiToken, hashApiToken } from "@/server/auth/tokens";

// Shorter passwords fall to a guessing attack despite scrypt; passphrases are welcome.
const MIN_PASSWORD_LENGTH = 12;
// 18 random bytes: 24 base64url characters, 144 bits.
const GENERATED_PASSWORD_BYTES = 18;
// Piped input beyond this is not a password (a file piped by mistake); reading stops there.
const MAX_STDIN_BYTES = MAX_PASSWORD_LENGTH * 4;

const USAGE = `usage:
  npx tsx scripts/auth.ts hash-password
  npx tsx scripts/auth.ts add-user <file> <username> <${ROLES.join("|")}> [--generate] [--replace]
  npx tsx scripts/auth.ts add-token <file> <name> <${ROLES.join("|")}> [--replace]
  npx tsx scripts/auth.ts remove-user <file> <username>
  npx tsx scripts/auth.ts remove-token <file> <name>
  npx tsx scripts/auth.ts list <file>`;

class UsageError extends Error {}

function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") {
          finish();
          resolve(value);
          return;
        }
        if (char === "\u0003") {
          finish();
          reject(new UsageError("cancelled"));
          return;
        }
        if (char === "\u007f" || char === "\b") value = [...value].slice(0, -1).join("");
        else if (value.length <= MAX_PASSWORD_LENGTH) value += char;
      }
    };
    process.stderr.write(prompt);
    stdin.setEncoding("utf8");
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += bytes.length;
    if (total > MAX_STDIN_BYTES) throw new UsageError(`stdin holds more than ${MAX_STDIN_BYTES} bytes; pipe only the password`);
    chunks.push(bytes);
  }
  // `echo secret |` adds a newline that is not part of the password.
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/** A new password from the terminal (asked twice) or from stdin. */
async function readNewPassword(): Promise<string> {
  let password: string;
  if (process.stdin.isTTY) {
    password = await readHidden("Password: ");
    if ((await readHidden("Again: ")) !== password) throw new UsageError("the passwords differ");
  } else {
    password = await readPiped();
  }
  if (password.length < MIN_PASSWORD_LENGTH) throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters (or use --generate)`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new UsageError(`the password must have at most ${MAX_PASSWORD_LENGTH} characters`);
  return password;
}

function parseRole(text: string | undefined): Role {
  const role = roleSchema.safeParse(text);
  if (!role.success) throw new UsageError(`role must be one of ${ROLES.join(", ")}`);
  return role.data;
}

function operands(args: string[], count: number): string[] {
  const positional = args.filter((arg) => !arg.startsWith("--"));
  if (positional.length !== count) throw new UsageError(USAGE);
  return positional;
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  const flags = new Set(rest.filter((arg) => arg.startsWith("--")));
  const replace = flags.has("--replace");

  switch (command) {
    case "hash-password": {
      operands(rest, 0);
      console.log(await hashPassword(await readNewPassword()));
      return;
    }
    case "add-user": {
      const [file = "", username = "", roleText] = operands(rest, 3);
      const role = parseRole(roleText);
      const current = loadAuthFile(file);
      // Before asking for a password: a name that cannot be added should not cost a typed one.
      checkNewUser(current, username, { replace });
      const generated = flags.has("--generate");
      const password = generated ? randomBytes(GENERATED_PASSWORD_BYTES).toString("base64url") : await readNewPassword();
      saveAuthFile(file, withUser(current, { username, role, passwordHash: await hashPassword(password) }, { replace }));
      console.error(`user "${username}" (${role}) saved in ${file}; restart the server to apply`);
      if (generated) console.log(password);
      return;
    }
    case "add-token": {
      const [file = "", name = "", roleText] = operands(rest, 3);
      const role = parseRole(roleText);
      const token = generateApiToken();
      saveAuthFile(file, withToken(loadAuthFile(file), { name, role, tokenHash: hashApiToken(token) }, { replace }));
      console.error(`token "${name}" (${role}) saved in ${file}; restart the server to apply. It is shown only now:`);
      console.log(token);
      return;
    }
    case "remove-user": {
      const [file = "", username = ""] = operands(rest, 2);
      saveAuthFile(file, withoutUser(loadAuthFile(file), username));
      console.error(`user "${username}" removed from ${file}; restart the server to apply`);
      return;
    }
    case "remove-token": {
      const [file = "", name = ""] = operands(rest, 2);
      saveAuthFile(file, withoutToken(loadAuthFile(file), name));
      console.error(`token "${name}" removed from ${file}; restart the server to apply`);
      return;
    }
    case "list": {
      const [file = ""] = operands(rest, 1);
      const { users, tokens } = loadAuthFile(file);
      for (const user of users) console.log(`user  ${user.username}  ${user.role}`);
      for (const token of tokens) console.log(`token ${token.name}  ${token.role}`);
      if (users.length + tokens.length === 0) console.error(`${file} lists no users or tokens`);
      return;
    }
    default:
      throw new UsageError(USAGE);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof AuthFileError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
