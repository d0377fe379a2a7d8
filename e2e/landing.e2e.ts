import { expect, test } from 'vitest';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

test('create a room, get its short code, and join it by typing the code elsewhere', async () => {
  const host = await suite.context({ name: 'Host' });
  const page = await host.newPage();
  await page.goto(`${suite.server.url}/`);
  await page.getByRole('button', { name: 'Create a room' }).click();
  await page.waitForURL(/\/r\/[a-km-np-z2-9]{16}$/);
  const roomUrl = page.url();

  await page.getByRole('button', { name: 'Room code' }).click();
  const codeButton = page.getByRole('button', { name: /^Code [2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/ });
  const code = ((await codeButton.textContent()) ?? '').replace('Code ', '');

  const guest = await suite.context({ name: 'Guest' });
  const guestPage = await guest.newPage();
  await guestPage.goto(`${suite.server.url}/`);
  await guestPage.getByLabel(/Join a room/).fill(code.toLowerCase());
  await guestPage.getByRole('button', { name: 'Join' }).click();
  await guestPage.waitForURL(roomUrl);

  await guestPage.goto(`${suite.server.url}/`);
  await guestPage.getByLabel(/Join a room/).fill('not a room!');
  await guestPage.getByRole('button', { name: 'Join' }).click();
  expect(await guestPage.getByRole('alert').textContent()).toMatch(/not a room link/);
  await host.close();
  await guest.close();
});
