-- Run once by the postgres image on an empty volume: one database for conversations, one for cases.
CREATE DATABASE hotline_tracker;
CREATE DATABASE hotline_cases;
