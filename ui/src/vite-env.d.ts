/// <reference types="svelte" />
/// <reference types="vite/client" />
/// <reference types="vitest/config" />
