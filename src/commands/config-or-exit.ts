import { ConfigError, loadConfig, type Config } from '../core/config.ts';

/** Loads the configuration, or prints what is wrong and exits: a bad setting must stop the process. */
export function configOrExit(options: { demo: boolean }): Config {
  try {
    return loadConfig(process.env, options);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`guang: ${err.message}\nSee .env.example for every setting and its format.`);
      process.exit(1);
    }
    throw err;
  }
}
