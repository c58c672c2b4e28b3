import { useSession } from "@/components/auth/session";

/** Which write buttons to offer. Hidden until the session is known; the server decides anyway. */
export function useOutboxPermissions(): { retry: boolean; replay: boolean } {
  const { data: session } = useSession();
  return { retry: session?.permissions.retry ?? false, replay: session?.permissions.replay ?? false };
}
