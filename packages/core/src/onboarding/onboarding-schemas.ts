import { z } from "zod";
import { plainText } from "../values/no-control-characters.ts";

/**
 * libvirt's own definition directories. VirtualDomain undefines the domain on start, and
 * undefining deletes the definition file there: a config kept inside would vanish. The agent
 * refuses them too (dump-config, write-config); this copy gives the form its message early.
 */
const LIBVIRT_OWN_DIRS = [
  "/etc/libvirt",
  "/var/lib/libvirt/qemu",
  "/run/libvirt",
  "/var/run/libvirt",
] as const;

/**
 * What the VirtualDomain agent can use: it expands `config` unquoted in its shell code, so a
 * space, quote, `$`, backtick, `;` or glob character would pass Corral's own steps (argv) and
 * then fail validate (rc=5) on every node.
 */
const AGENT_SAFE_PATH = /^[A-Za-z0-9/._+@%,:=-]+$/;

export const configPathSchema = plainText
  .max(4096, "Paths are limited to 4096 characters.")
  .regex(/^\/[^\0]*[^/]$/, "Give an absolute file path, such as /etc/pacemaker/web1.xml.")
  .refine((path) => !path.split("/").some((part) => part === "." || part === ".."), {
    message: "The path must not contain . or .. segments.",
  })
  .refine((path) => !path.includes("//"), { message: "The path must not contain //." })
  .refine((path) => AGENT_SAFE_PATH.test(path), {
    message:
      "The VirtualDomain agent expands this path unquoted: use only letters, digits and / . _ - + @ % , : = (no spaces, quotes, $, `, ; or control characters).",
  })
  .refine((path) => !LIBVIRT_OWN_DIRS.some((dir) => path === dir || path.startsWith(`${dir}/`)), {
    message:
      "This path is inside libvirt's own configuration directories: VirtualDomain undefines the domain on start and libvirt would delete the file. Use a path such as /etc/pacemaker/NAME.xml.",
  });

/** Pacemaker ids are XML IDs: a letter or underscore, then letters, digits, _ . - */
export const resourceNameSchema = z
  .string()
  .min(1, "Give the resource a name.")
  .max(64, "Resource names are limited to 64 characters here.")
  .regex(
    /^[A-Za-z_][A-Za-z0-9_.-]*$/,
    "Pacemaker resource names start with a letter or _ and contain only letters, digits, _ . and -.",
  );

/** libvirt domain names as Corral accepts them (they become file names and lock names). */
export const domainNameSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$/, "Not a libvirt domain name Corral can manage.");
