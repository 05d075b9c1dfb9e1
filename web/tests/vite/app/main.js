// A minimal app a dashboard team would write: the package imported by name, bundled by Vite.
import init, { YottaClient, YottaError } from 'yotta-serverless';

const result = document.getElementById('result');
try {
  await init();
  const client = new YottaClient(); // no key: the page's own origin serves the API
  const created = await client.createEndpoint({
    name: 'vite-app',
    image: 'vllm/vllm-openai:latest',
    resources: [{ region: 'us-east-1', gpuType: 'NVIDIA_RTX_4090_24G', gpuCount: 1 }],
    workers: 1,
    containerVolumeInGb: 40,
    serviceMode: 'QUEUE',
  });
  const listed = await client.listEndpoints();
  const missing = await client.getEndpoint('1').catch((error) => error);
  result.textContent = JSON.stringify({
    id: created.id,
    listed: listed.map((e) => e.id),
    errorIsYottaError: missing instanceof YottaError,
    errorKind: missing.kind,
  });
} catch (error) {
  result.textContent = `failed: ${error}`;
}
result.dataset.done = 'true';
