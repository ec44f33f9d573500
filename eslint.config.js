// ESLint (flat config): typescript-eslint's type-checked rules over every TypeScript file of the
// repository; formatting is Prettier's job (eslint-config-prettier turns the style rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'reports/', '.stryker-tmp/', 'test-artifacts/', 'docs/api/', 'test/package/consumer/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }] },
  },
  {
    // Tests hand the library async providers and listeners on purpose (that they may be async is
    // what is being tested), and read messages of a known kind.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  { files: ['eslint.config.js', 'scripts/**/*.mjs', 'examples/**/*.{js,mjs}'], ...tseslint.configs.disableTypeChecked },
  // The examples are plain JavaScript, as a user would copy them: for Node (.mjs) and for a page (.js).
  { files: ['examples/**/*.mjs'], languageOptions: { globals: { console: 'readonly', process: 'readonly' } } },
  {
    files: ['examples/**/*.js'],
    languageOptions: { globals: { document: 'readonly', location: 'readonly', URLSearchParams: 'readonly' } },
  },
  prettier,
);
