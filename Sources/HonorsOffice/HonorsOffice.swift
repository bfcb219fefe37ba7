public enum HonorsOffice {}
