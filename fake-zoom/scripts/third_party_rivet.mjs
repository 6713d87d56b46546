// Optional check, run outside the repository:
//   mkdir /tmp/rivet && cd /tmp/rivet && npm init -y && npm install @zoom/rivet@0.4.0
//   cp <repo>/fake-zoom/scripts/third_party_rivet.mjs . && node third_party_rivet.mjs http://127.0.0.1:8080
// Zoom's official Node SDK (@zoom/rivet 0.4.0) against fake-zoom serve. Its API base URL is an
// option; its OAuth URL is a hard-coded constant, so the token is fetched from the fake with the
// SDK's own request shape and checked with the SDK's own validation, then put in its token store.
import { MeetingsS2SAuthClient } from "@zoom/rivet/meetings";
const BASE = process.argv[2] ?? "http://127.0.0.1:8080";
const client = new MeetingsS2SAuthClient({
  clientId: "fake-s2s-client-id", clientSecret: "fake-s2s-client-secret", accountId: "fake-account-1",
  baseUrl: BASE + "/v2", disableReceiver: true,
});
const basic = Buffer.from("fake-s2s-client-id:fake-s2s-client-secret").toString("base64");
const raw = await (await fetch(BASE + "/oauth/token", {
  method: "POST",
  headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ grant_type: "account_credentials", account_id: "fake-account-1" }),
})).json();
client.auth.assertRawToken(raw);               // the SDK's own shape check (scope must be a string)
await client.auth.tokenStore.storeToken(client.auth.mapAccessToken(raw));
let passed = 0;
async function step(name, promise, check) {
  try {
    const r = await promise;
    const ok = check(r);
    console.log(`${ok ? "ok  " : "FAIL"} ${name}: ${r.statusCode} ${JSON.stringify(r.data ?? null).slice(0, 100)}`);
    if (!ok) process.exit(1);
    passed++;
    return r.data;
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message} ${JSON.stringify(e.response?.data ?? e.cause?.response?.data ?? "")}`);
    process.exit(1);
  }
}
const m = client.endpoints.meetings;
const created = await step("createMeeting", m.createMeeting({ path: { userId: "me" },
  body: { topic: "SEV1 bridge", type: 2, duration: 30, settings: { waiting_room: true, approval_type: 0 } } }),
  (r) => r.statusCode === 201 && r.data.settings.waiting_room === true);
const meetingId = created.id;
await step("getMeeting", m.getMeeting({ path: { meetingId } }), (r) => r.data.topic === "SEV1 bridge");
await step("updateMeeting", m.updateMeeting({ path: { meetingId }, body: { topic: "SEV1 bridge (mitigated)" } }), (r) => r.statusCode === 204);
await step("listMeetings", m.listMeetings({ path: { userId: "me" }, query: { page_size: 10 } }), (r) => r.data.meetings.some((x) => x.id === meetingId));
await step("addMeetingRegistrant", m.addMeetingRegistrant({ path: { meetingId }, body: { email: "r@example.com", first_name: "R" } }), (r) => r.statusCode === 201);
await step("listMeetingRegistrants", m.listMeetingRegistrants({ path: { meetingId } }), (r) => r.data.total_records === 1);
await step("updateMeetingStatus", m.updateMeetingStatus({ path: { meetingId }, body: { action: "end" } }), (r) => r.statusCode === 204);
await step("deleteMeeting", m.deleteMeeting({ path: { meetingId } }), (r) => r.statusCode === 204);
const w = client.endpoints.webinars;
const webinar = await step("createWebinar", w.createWebinar({ path: { userId: "me" }, body: { topic: "Update", type: 5 } }), (r) => r.statusCode === 201);
await step("getWebinar", w.getWebinar({ path: { webinarId: webinar.id } }), (r) => r.data.id === webinar.id);
await step("deleteWebinar", w.deleteWebinar({ path: { webinarId: webinar.id } }), (r) => r.statusCode === 204);
try {
  await m.getMeeting({ path: { meetingId } });
  console.log("FAIL getMeeting after delete succeeded"); process.exit(1);
} catch (e) {
  console.log(`ok   getMeeting after delete: ${e.message}`); passed++;
}
console.log(`@zoom/rivet against fake-zoom: ${passed} calls passed`);
