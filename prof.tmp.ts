import { startStack, AG } from './test/helpers/stack.js';
const s = await startStack({ sandbox: { invoicesPerGroup: 120 } });
const group = s.sandbox.data.groups.find((g) => g.accessGroup === AG && g.schoolYear === '2023-24')!;
const q = `query($g: ID!) { invoices(filter: { accessGroup: "${AG}", schoolYear: "2023-24", invoiceGroupId: $g }, first: 100) { edges { node {
    id kind issueDate dueDate total { amount } paid { amount } open { amount } paymentReference { formatted }
    recipient { firstName lastName className } lines { group description quantity unitPrice { amount } total { amount } } } } } }`;
for (let i = 0; i < 30; i++) await s.gql(q, { g: String(group.id) });
const t0 = performance.now();
const N = 300;
for (let i = 0; i < N; i++) await s.gql(q, { g: String(group.id) });
console.log('ms/op (sandbox+gateway, sequential):', ((performance.now() - t0) / N).toFixed(2));
await s.close();
