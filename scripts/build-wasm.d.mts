// Types of scripts/build-wasm.mjs, for the test that checks the committed module.
export const KERNEL_SOURCE: string;
export const KERNEL_MODULE: string;
export function compileKernel(): Promise<Uint8Array>;
export function kernelModuleText(bytes: Uint8Array): string;
