// Installs the external tools the tests run for real: today the Bicep CLI, restored from NuGet with dotnet.
// Idempotent and quick when the tool is already there. Under CI a missing tool fails; locally it says so loudly.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = /BICEP_CLI = '([^']+)'/.exec(readFileSync(join(root, 'src/versions.ts'), 'utf8'))?.[1];
if (!version) throw new Error('src/versions.ts does not pin BICEP_CLI');
const packages = join(root, 'tools/bicep/packages');
const bicep = join(packages, 'azure.bicep.commandline.linux-x64', version, 'tools', 'bicep');

if (!existsSync(bicep)) {
  try {
    execFileSync(
      'dotnet',
      [
        'restore',
        join(root, 'tools/bicep/bicep.csproj'),
        '--packages',
        packages,
        `-p:BicepVersion=${version}`,
        '--nologo',
        '-v',
        'quiet',
      ],
      { stdio: 'inherit' },
    );
  } catch (error) {
    const message = `Could not restore the Bicep CLI ${version} with dotnet (${error.message.split('\n')[0]}).`;
    if (process.env.CI) {
      console.error(`${message} CI needs it: install the .NET SDK.`);
      process.exit(1);
    }
    console.error(`\n!!! ${message}\n!!! The Bicep compile tests will be SKIPPED in this local run.\n`);
    process.exit(0);
  }
}
chmodSync(bicep, 0o755);
console.log(`Bicep CLI ${version}: ${bicep}`);
