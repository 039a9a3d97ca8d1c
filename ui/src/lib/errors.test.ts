import { describe, expect, it } from "vitest";
import { control, errorMessage, fieldErrors, fieldId, fieldMessage } from "./errors";
import { translate, type Catalogues } from "./translate";

const cats: Catalogues = {
  en: {
    "error.wrong_passphrase": "That passphrase is not correct.",
    "error.internal": "Something went wrong.",
    "error.validation": "Some details need correcting.",
    "validation.required": "This field is required.",
    "validation.invalid": "This value is not valid.",
  },
  sq: { "error.wrong_passphrase": "Ky fjalëkalim nuk është i saktë." },
};
const en = (key: string) => translate(cats, "en", key);
const sq = (key: string) => translate(cats, "sq", key);

describe("errorMessage", () => {
  it("shows the catalogue text of the error's code, in the user's language", () => {
    expect(errorMessage({ code: "wrong_passphrase" }, sq)).toBe("Ky fjalëkalim nuk është i saktë.");
    expect(errorMessage({ code: "wrong_passphrase" }, en)).toBe("That passphrase is not correct.");
  });
  it("never shows the backend's English developer message", () => {
    const err = Object.assign(new Error("sqlite: file is not a database"), { code: "wrong_passphrase" });
    expect(errorMessage(err, en)).not.toContain("sqlite");
  });
  it("turns a code the catalogue does not know into the internal-error message, not a raw key", () => {
    expect(errorMessage({ code: "quantum_flux" }, en)).toBe("Something went wrong.");
  });
  it("turns anything that is not a coded error into the internal-error message", () => {
    expect(errorMessage("boom", en)).toBe("Something went wrong.");
    expect(errorMessage(new Error("boom"), en)).toBe("Something went wrong.");
    expect(errorMessage(null, en)).toBe("Something went wrong.");
  });
});

describe("fieldMessage", () => {
  it("maps a reason code to its validation message", () => {
    expect(fieldMessage("required", en)).toBe("This field is required.");
  });
  it("falls back to a generic message for an unknown reason code", () => {
    expect(fieldMessage("astrology", en)).toBe("This value is not valid.");
  });
});

describe("fieldErrors", () => {
  it("indexes a validation error's fields by path; the first error of a field wins", () => {
    const err = {
      code: "validation",
      fields: [
        { field: "acts[0].grounds", code: "at_least_one" },
        { field: "person.name", code: "not_without_consent" },
        { field: "acts[0].grounds", code: "unknown_code" },
      ],
    };
    expect(fieldErrors(err)).toEqual({ "acts[0].grounds": "at_least_one", "person.name": "not_without_consent" });
  });
  it("is empty for errors that are not about fields", () => {
    expect(fieldErrors({ code: "disk_full", fields: [{ field: "x", code: "required" }] })).toEqual({});
    expect(fieldErrors(new Error("x"))).toEqual({});
  });
});

describe("fieldId and control", () => {
  it("turns a field path into a valid, stable element id", () => {
    expect(fieldId("acts[1].grounds")).toBe("f-acts-1-grounds");
    expect(fieldId("person.age_band")).toBe("f-person-age-band");
  });
  it("ties a control to its hint and error for screen readers", () => {
    expect(control("intake_date", "in_future", true)).toEqual({
      id: "f-intake-date",
      "aria-invalid": "true",
      "aria-describedby": "f-intake-date-hint f-intake-date-error",
    });
    expect(control("intake_date")).toEqual({ id: "f-intake-date", "aria-invalid": undefined, "aria-describedby": undefined });
  });
});
