import { useState, type FormEvent } from 'react';
import type { TwinlineBridge } from '../../src-main/common/bridge.ts';
import { electronBridge } from '../transport/electron-bridge.ts';
import { useViewStore } from '../state/view-store.ts';
import { brokersNeedingPassword } from './brokers-needing-password.ts';

/** The desktop shell's bridge when it can keep broker passwords; in a browser (`twinline serve`) there is none. */
function passwordBridge(): Required<Pick<TwinlineBridge, 'storeBrokerPassword'>> | undefined {
  const bridge = electronBridge();
  return bridge?.storeBrokerPassword ? { storeBrokerPassword: bridge.storeBrokerPassword.bind(bridge) } : undefined;
}

/**
 * Desktop only: when a broker refuses the username or password (or wants one), a password field
 * that hands what is typed to the shell, which keeps it in the OS keychain and restarts the host
 * with it. The typed text is cleared at once and never kept in the view's state beyond the field.
 */
export function BrokerPasswordPrompt() {
  const connections = useViewStore((state) => state.connections);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const bridge = passwordBridge();
  const broker = brokersNeedingPassword(connections)[0];
  if (!bridge || !broker) return null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const field = event.currentTarget.elements.namedItem('password') as HTMLInputElement | null;
    const password = field?.value ?? '';
    if (field) field.value = '';
    if (password === '') return;
    setBusy(true);
    try {
      const result = await bridge.storeBrokerPassword(broker.brokerId, password);
      setMessage(result.ok ? 'Kept in the keychain; reconnecting with it…' : result.message);
    } catch (error) {
      setMessage(`The password could not be handed to Twinline: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="broker-password-prompt" onSubmit={(event) => void submit(event)} data-broker-password={broker.brokerId}>
      <label>
        Broker “{broker.brokerId}”: {broker.lastError}. Password:{' '}
        <input name="password" type="password" autoComplete="off" maxLength={1024} disabled={busy} />
      </label>
      <button type="submit" disabled={busy}>
        Keep in keychain
      </button>
      {message ? <p role="status">{message}</p> : null}
    </form>
  );
}
