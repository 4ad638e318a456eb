import { it } from 'vitest';
import { startStack } from '../helpers/stack.js';
it('debug', async () => {
  const stack = await startStack({ env: { CAPABILITY_CACHE_TTL_SECONDS: '0' } });
  stack.ibanity.server.latencyMs = 20;
  stack.mapi.server.latencyMs = 20;
  const ids = [...stack.mapi.belgianParties().slice(0, 298), '0208:0840559537', '9944:NL840559537B01'];
  for (let i = 0; i < 3; i++) {
    stack.ibanity.server.resetCalls();
    const { body } = await stack.gql('query($ids: [String!]!) { parties(identifiers: $ids) { capabilities { reachable } } }', { ids });
    const calls = stack.ibanity.server.calls('POST /einvoicing/peppol/customer-searches');
    const times = calls.map((c) => c.at).sort();
    console.log('run', i, 'calls', calls.length, 'peak', stack.ibanity.server.peakInFlight('POST /einvoicing/peppol/customer-searches'));
  }
  await stack.close();
}, 60000);
