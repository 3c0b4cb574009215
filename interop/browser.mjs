// node browser.mjs <page url> <screenshot path>
// Drives the example page (examples/solidstart_browser) in headless Chromium
// through playwright-core (the system's browser: SEROVAL_CHROMIUM, default
// /usr/bin/chromium; nothing is downloaded) and prints one JSON line of what the
// page showed after each click.
import { chromium } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.SEROVAL_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const seen = { console: [] };
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 640 } });
  page.on("console", (message) => seen.console.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => seen.console.push(`pageerror: ${error.message}`));
  await page.goto(url);

  await page.click("#thing");
  seen.thing = await page.locator("#thing-result").innerText({ timeout: 10000 });

  await page.click("#count");
  // Item by item: the list has some items while the generator still runs.
  await page.locator("#items li").first().waitFor({ timeout: 10000 });
  seen.partial = {
    items: await page.locator("#items li").count(),
    state: await page.locator("#count-state").innerText(),
  };
  await page.locator("#count-state", { hasText: "done" }).waitFor({ timeout: 10000 });
  seen.items = await page.locator("#items li").allInnerTexts();

  await page.click("#fail");
  seen.error = await page.locator("#error").innerText({ timeout: 10000 });
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
} catch (error) {
  seen.failure = String(error);
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
