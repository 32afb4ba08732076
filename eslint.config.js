import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers run one way (docs/ARCHITECTURE.md): bench/bin → bench → ci/gate → ci/stats, with
 * lib/ beneath everything and the lab (server/) never importing the harness. Each entry says
 * which relative imports a folder may not make.
 */
const layer = (files, regex, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ regex, message }] }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'reports/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  layer(['lib/**'], '^\\.\\./', 'lib/ is the bottom layer: generic helpers that import nothing of the project.'),
  layer(['prometheus/**'], '^\\.\\./', 'prometheus/ is pure Prometheus-format code: it imports nothing of the project.'),
  layer(['ci/stats/**'], '^\\.\\./(?!\\.\\./lib/)', 'ci/stats is pure statistics: it imports only its own modules and lib/.'),
  layer(
    ['ci/gate/**'],
    '^\\.\\./(baseline|format)/|^\\.\\./\\.\\./(bench|server|prometheus)/',
    'ci/gate decides on its own inputs: it may import ci/stats and lib/ only.',
  ),
  layer(
    ['ci/baseline/**', 'ci/format/**'],
    '^\\.\\./\\.\\./(bench|server|prometheus)/',
    'ci/ never imports the runner (bench/) or the lab (server/): adapters live on the bench side.',
  ),
  layer(['server/**'], '(^|/)(bench|ci)/', 'The lab never imports the harness (bench/, ci/).'),
  layer(['bench/**'], '(^|/)bin/', 'Entry points (bench/bin) are leaves: nothing imports them but tests.'),
  // A later entry replaces the rule for its files, so this one repeats bench/**'s bin/ pattern.
  layer(
    ['bench/artillery/**'],
    '(^|/)bin/|(^|/)load/(?!types\\.js$)|(^|/)run/(?!decide\\.js$)',
    "bench/artillery maps scenarios and Artillery's reports: of the runner it uses the result model, bench/load/types and bench/run/decide, never the load generator, the runner's orchestration or an entry point.",
  ),
  layer(
    ['bench/answers/**'],
    '^\\.\\./',
    'bench/answers is pure answer code (exact JSON, pointers, digests): it imports only its own modules.',
  ),
  layer(
    ['bench/target/**'],
    '^\\.\\./(run|report|format|profile|results|scenario|load|micro|observability)/',
    'bench/target starts and stops services: it may import bench/process and lib/ only.',
  ),
  layer(['examples/**'], '^\\.\\./', 'An example is a project of its own: it imports nothing of metric-lab.'),
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
