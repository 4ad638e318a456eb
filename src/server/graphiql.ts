import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Files GraphiQL needs, served from installed packages so the page works with no internet access. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: join(pkgDir('react'), 'umd/react.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'react-dom.js': { file: join(pkgDir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.js': { file: join(pkgDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.css': { file: join(pkgDir('graphiql'), 'graphiql.min.css'), type: 'text/css; charset=utf-8' },
};

const DEFAULT_QUERY = `# Welcome to the Belgian e-invoicing gateway.
# Press the play button (or Ctrl-Enter) to run a query; open the docs (book icon) for every type.
#
# The embedded sandbox holds the Informat document's sample access group and invoice groups:
query SampleInvoices {
  connections { name source healthy }
  invoiceGroups(accessGroup: "f451ca37-411c-49ea-a544-29598ea22b82_123456", schoolYear: "2020-21", type: STUDENT) {
    id
    name
    invoices(first: 3) {
      totalCount
      edges {
        node {
          kind
          total { amount currency }
          open { amount }
          paymentReference { formatted structured }
          recipient { firstName lastName className }
        }
      }
    }
  }
}
`;

export function graphiqlPage(endpoint: string, headersHint: string | null): string {
  const config = JSON.stringify({ endpoint, query: DEFAULT_QUERY, headers: headersHint }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · Belgian e-invoicing gateway</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script>
  const config = ${config};
  const fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultQuery: config.query, defaultHeaders: config.headers || undefined, shouldPersistHeaders: false, showPersistHeadersSettings: true })
  );
</script>
</body>
</html>`;
}

/** Browser requests to GET /graphql (Accept: text/html, no query) get GraphiQL; API requests go on to Apollo. */
export function registerGraphiql(app: FastifyInstance, opts: { needsKey: boolean }): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET') return;
    const path = req.url.split('?')[0];
    if (path !== '/graphql') return;
    const accept = String(req.headers.accept ?? '');
    const query = new URL(req.url, 'http://x').searchParams.get('query');
    if (!accept.includes('text/html') || query) return;
    const hint = opts.needsKey ? '{\n  "Authorization": "Bearer <your API key>"\n}' : null;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(graphiqlPage('/graphql', hint));
  });

  app.get<{ Params: { name: string } }>('/graphiql/assets/:name', async (req, reply) => {
    const asset = ASSETS[req.params.name];
    if (!asset) return reply.code(404).send({ error: 'no such asset' });
    return reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(createReadStream(asset.file));
  });

  app.get('/', async (_req, reply) => reply.redirect('/graphql'));
}
