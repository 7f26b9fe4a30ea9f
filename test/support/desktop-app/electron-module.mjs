// Stands in for the `electron` module when the built main process (out/main/index.js) is loaded by
// the desktop-app harness: every export is the Electron fake of the app being launched
// (test/support/desktop-app/launch.ts puts it on globalThis before importing main).
const modules = globalThis.__parleyElectronModules;
if (!modules) throw new Error('the desktop-app harness did not set up the Electron fake');

export const app = modules.app;
export const BrowserWindow = modules.BrowserWindow;
export const desktopCapturer = modules.desktopCapturer;
export const dialog = modules.dialog;
export const globalShortcut = modules.globalShortcut;
export const ipcMain = modules.ipcMain;
export const Menu = modules.Menu;
export const nativeImage = modules.nativeImage;
export const nativeTheme = modules.nativeTheme;
export const net = modules.net;
export const Notification = modules.Notification;
export const powerMonitor = modules.powerMonitor;
export const powerSaveBlocker = modules.powerSaveBlocker;
export const protocol = modules.protocol;
export const screen = modules.screen;
export const session = modules.session;
export const shell = modules.shell;
export const systemPreferences = modules.systemPreferences;
export const Tray = modules.Tray;
export const webContents = modules.webContents;
export default modules;
